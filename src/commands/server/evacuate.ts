import { CancelledError } from '../../lib/errors';
import type { Server } from '../../lib/model/servers';
import type { ServerView } from '../../lib/views/servers';
import { ask } from './_prompt';
import { hostFlag, MoveCommand, moveDescription } from './_moves';

export default class ServerEvacuate extends MoveCommand {
  static override description = moveDescription([
    'Evacuate a server from a host that is down (its compute service down or forced down): rebuild it on another host from its image',
    '(what was on its disk is lost). Refused with exit 4 while the host is up. It ends ACTIVE (SHUTOFF if it was stopped); its old host',
    'is cleaned up once it is up again. Asks first on a terminal unless --yes.',
  ].join(' '));
  static override examples = ['<%= config.bin %> server evacuate web1 --yes', '<%= config.bin %> server evacuate web1 --host compute-3 --yes --wait --json'];
  static override flags = { ...MoveCommand.flags, ...hostFlag };

  protected async move(project: string): Promise<Server> {
    if (this.interactive) {
      const s = await this.ctx.servers.get(this.args.server, project);
      if (!(await ask.confirm({ message: `Rebuild ${s.name} (${s.uuid}) from its image on another host? Its disk contents on ${s.host} are lost.`, default: false }))) {
        throw new CancelledError();
      }
    }
    return this.ctx.serverMoves.evacuate(this.args.server, project, { host: (this.flags as { host?: string }).host }, this.ctx.actor.userId);
  }

  protected targets(): string[] { return ['ACTIVE', 'SHUTOFF']; }
  protected summary(s: ServerView): string { return `Evacuated server ${s.name} (${s.id}) to ${s['OS-EXT-SRV-ATTR:host']}.`; }
}
