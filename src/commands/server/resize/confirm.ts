import type { Server } from '../../../lib/model/servers';
import type { ServerView } from '../../../lib/views/servers';
import { MoveCommand, moveDescription } from '../_moves';

export default class ServerResizeConfirm extends MoveCommand {
  static override description = moveDescription([
    'Confirm a resize or cold migration (a server in VERIFY_RESIZE): what is left on the source host and its allocation go, and the',
    'server is ACTIVE (SHUTOFF if it was stopped when it was resized).',
  ].join(' '));
  static override examples = ['<%= config.bin %> server resize confirm web1', '<%= config.bin %> server resize confirm web1 --json'];

  protected move(project: string): Promise<Server> {
    return this.ctx.serverMoves.confirmResize(this.args.server, project, this.ctx.actor.userId);
  }

  protected targets(): string[] { return ['ACTIVE', 'SHUTOFF']; }
  protected summary(s: ServerView): string { return `Confirmed the resize of server ${s.name} (${s.id}).`; }
}
