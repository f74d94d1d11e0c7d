import type { Server } from '../../lib/model/servers';
import type { ServerView } from '../../lib/views/servers';
import { hostFlag, MoveCommand, moveDescription } from './_moves';

export default class ServerLiveMigrate extends MoveCommand {
  static override description = moveDescription([
    'Live-migrate a running (ACTIVE or PAUSED) server to another host; it keeps running (MIGRATING meanwhile). The scheduler chooses',
    'the destination, or checks the one given with --host. Exit 2 when --host is its own host, 3 for an unknown --host, 5 when no host fits.',
  ].join(' '));
  static override examples = ['<%= config.bin %> server live-migrate web1', '<%= config.bin %> server live-migrate web1 --host compute-2 --json'];
  static override flags = { ...MoveCommand.flags, ...hostFlag };

  protected move(project: string): Promise<Server> {
    return this.ctx.serverMoves.liveMigrate(this.args.server, project, { host: (this.flags as { host?: string }).host }, this.ctx.actor.userId);
  }

  protected targets(): string[] { return ['ACTIVE', 'PAUSED']; }
  protected summary(s: ServerView): string { return `Live-migrated server ${s.name} (${s.id}) to ${s['OS-EXT-SRV-ATTR:host']}.`; }
}
