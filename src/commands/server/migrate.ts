import type { Server } from '../../lib/model/servers';
import type { ServerView } from '../../lib/views/servers';
import { hostFlag, MoveCommand, moveDescription } from './_moves';

export default class ServerMigrate extends MoveCommand {
  static override description = moveDescription([
    'Cold-migrate a server (ACTIVE or SHUTOFF) to another host with the same flavor: it is stopped, moved, and waits in VERIFY_RESIZE',
    'for `server resize confirm` or `server resize revert`. Exit 2 when --host is its own host, 3 for an unknown --host, 5 when no host fits.',
  ].join(' '));
  static override examples = ['<%= config.bin %> server migrate web1', '<%= config.bin %> server migrate web1 --host compute-2 --wait --json'];
  static override flags = { ...MoveCommand.flags, ...hostFlag };

  protected move(project: string): Promise<Server> {
    return this.ctx.serverMoves.migrate(this.args.server, project, { host: (this.flags as { host?: string }).host }, this.ctx.actor.userId);
  }

  protected targets(): string[] { return ['VERIFY_RESIZE']; }
  protected summary(s: ServerView): string { return `Migrated server ${s.name} (${s.id}) to ${s['OS-EXT-SRV-ATTR:host']}; confirm or revert it.`; }
}
