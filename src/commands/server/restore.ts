import { BaseCommand } from '../_base';
import type { ServerView } from '../../lib/views/servers';
import { projectFlag, serverArg, waitFlags } from './_flags';
import { actAndWait, rebuildDoc } from './_rebuilds';
import { serverDetail } from './_table';

const doc = rebuildDoc('restore', [
  'Restore a SOFT_DELETED server (a `server delete` while [DEFAULT] reclaim_instance_interval > 0, not yet reclaimed): it is powered on',
  'again and becomes ACTIVE, with its host, claim and quota as before.',
].join(' '), ['web1 --wait --json']);

export default class ServerRestore extends BaseCommand<typeof ServerRestore> {
  static override description = doc.description;
  static override examples = doc.examples;
  static override args = { ...serverArg };
  static override flags = { ...projectFlag, ...waitFlags };

  protected async execute(): Promise<{ server: ServerView }> {
    return actAndWait(this.ctx, this.flags, ['ACTIVE'], (project, user) => this.ctx.serverRebuilds.restore(this.args.server, project, user));
  }

  protected override renderHuman(r: { server: ServerView }): void {
    this.log(serverDetail(r.server));
  }
}
