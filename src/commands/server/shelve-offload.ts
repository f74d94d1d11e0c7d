import { BaseCommand } from '../_base';
import type { ServerView } from '../../lib/views/servers';
import { projectFlag, serverArg, waitFlags } from './_flags';
import { actAndWait, rebuildDoc } from './_rebuilds';
import { serverDetail } from './_table';

const doc = rebuildDoc('shelve-offload', [
  'Offload a SHELVED server: it is removed from its host and its claim freed; it becomes SHELVED_OFFLOADED (no host) and keeps its quota.',
  '`server unshelve` schedules it again.',
].join(' '), ['web1 --wait --json']);

export default class ServerShelveOffload extends BaseCommand<typeof ServerShelveOffload> {
  static override description = doc.description;
  static override examples = doc.examples;
  static override args = { ...serverArg };
  static override flags = { ...projectFlag, ...waitFlags };

  protected async execute(): Promise<{ server: ServerView }> {
    return actAndWait(this.ctx, this.flags, ['SHELVED_OFFLOADED'], (project, user) => this.ctx.serverRebuilds.shelveOffload(this.args.server, project, user));
  }

  protected override renderHuman(r: { server: ServerView }): void {
    this.log(serverDetail(r.server));
  }
}
