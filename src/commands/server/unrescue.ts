import { BaseCommand } from '../_base';
import type { ServerView } from '../../lib/views/servers';
import { projectFlag, serverArg, waitFlags } from './_flags';
import { actAndWait, rebuildDoc } from './_rebuilds';
import { serverDetail } from './_table';

const doc = rebuildDoc('unrescue', 'Take a server out of rescue mode: it boots from its own disk again and becomes ACTIVE.', ['web1 --wait --json']);

export default class ServerUnrescue extends BaseCommand<typeof ServerUnrescue> {
  static override description = doc.description;
  static override examples = doc.examples;
  static override args = { ...serverArg };
  static override flags = { ...projectFlag, ...waitFlags };

  protected async execute(): Promise<{ server: ServerView }> {
    return actAndWait(this.ctx, this.flags, ['ACTIVE'], (project, user) => this.ctx.serverRebuilds.unrescue(this.args.server, project, user));
  }

  protected override renderHuman(r: { server: ServerView }): void {
    this.log(serverDetail(r.server));
  }
}
