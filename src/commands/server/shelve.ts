import { BaseCommand } from '../_base';
import type { ServerView } from '../../lib/views/servers';
import { projectFlag, serverArg, waitFlags } from './_flags';
import { actAndWait, rebuildDoc } from './_rebuilds';
import { serverDetail } from './_table';

const doc = rebuildDoc('shelve', [
  'Shelve a server: it is powered off and becomes SHELVED, keeping its host, its claim and its quota. With [DEFAULT] shelved_offload_time',
  '= 0 (the default) it is offloaded at once (SHELVED_OFFLOADED: removed from its host, claim freed); with N > 0 after N seconds; -1: never.',
].join(' '), ['web1 --wait --json']);

export default class ServerShelve extends BaseCommand<typeof ServerShelve> {
  static override description = doc.description;
  static override examples = doc.examples;
  static override args = { ...serverArg };
  static override flags = { ...projectFlag, ...waitFlags };

  protected async execute(): Promise<{ server: ServerView }> {
    return actAndWait(this.ctx, this.flags, ['SHELVED', 'SHELVED_OFFLOADED'], (project, user) => this.ctx.serverRebuilds.shelve(this.args.server, project, user));
  }

  protected override renderHuman(r: { server: ServerView }): void {
    this.log(serverDetail(r.server));
  }
}
