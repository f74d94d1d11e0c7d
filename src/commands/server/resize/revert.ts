import type { Server } from '../../../lib/model/servers';
import type { ServerView } from '../../../lib/views/servers';
import { MoveCommand, moveDescription } from '../_moves';

export default class ServerResizeRevert extends MoveCommand {
  static override description = moveDescription([
    'Revert a resize or cold migration (a server in VERIFY_RESIZE; REVERT_RESIZE while it runs): the copy on the destination and its',
    'allocation go, and the server runs again on its source host with its old flavor; the quota taken for growth is given back.',
  ].join(' '));
  static override examples = ['<%= config.bin %> server resize revert web1', '<%= config.bin %> server resize revert web1 --wait --json'];

  protected move(project: string): Promise<Server> {
    return this.ctx.serverMoves.revertResize(this.args.server, project, this.ctx.actor.userId);
  }

  protected targets(): string[] { return ['ACTIVE', 'SHUTOFF']; }
  protected summary(s: ServerView): string { return `Reverted server ${s.name} (${s.id}) to ${(s.flavor as { original_name: string }).original_name} on ${s['OS-EXT-SRV-ATTR:host']}.`; }
}
