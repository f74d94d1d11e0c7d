import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import type { ServerView } from '../../lib/views/servers';
import { projectFlag, serverArg, waitFlags } from './_flags';
import { actAndWait, rebuildDoc } from './_rebuilds';
import { serverDetail } from './_table';

const doc = rebuildDoc('unshelve', [
  'Unshelve a server: a SHELVED one is powered on where it is; a SHELVED_OFFLOADED one is scheduled and claimed anew (in',
  '--availability-zone when given, else in its former zone unless that was the default zone) and spawned. It becomes ACTIVE. No host',
  'fits: exit 5 and it stays SHELVED_OFFLOADED.',
].join(' '), ['web1 --availability-zone az2 --wait --json']);

export default class ServerUnshelve extends BaseCommand<typeof ServerUnshelve> {
  static override description = doc.description;
  static override examples = doc.examples;
  static override args = { ...serverArg };
  static override flags = {
    ...projectFlag, ...waitFlags,
    'availability-zone': Flags.string({ description: 'Zone to unshelve an offloaded server into.', aliases: ['az'] }),
  };

  protected async execute(): Promise<{ server: ServerView }> {
    const f = this.flags;
    return actAndWait(this.ctx, f, ['ACTIVE'], (project, user) => this.ctx.serverRebuilds.unshelve(this.args.server, project, user, { availabilityZone: f['availability-zone'] }));
  }

  protected override renderHuman(r: { server: ServerView }): void {
    this.log(serverDetail(r.server));
  }
}
