import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { CancelledError } from '../../lib/errors';
import type { ServerView } from '../../lib/views/servers';
import { projectFlag, serverArg, waitFlags } from './_flags';
import { ask } from './_prompt';
import { actAndWait, rebuildDoc } from './_rebuilds';
import { serverDetail } from './_table';

const doc = rebuildDoc('rebuild', [
  'Rebuild a server on its host: its disk is destroyed and it is spawned again from --image (default: its own image), keeping its id,',
  'flavor, metadata and claim. It ends ACTIVE (SHUTOFF when it was stopped), or ERROR with the fault when the spawn fails. Asks first on a',
  'terminal unless --yes.',
].join(' '), ['web1 --image cirros-0.6 --wait --json --yes']);

export default class ServerRebuild extends BaseCommand<typeof ServerRebuild> {
  static override description = doc.description;
  static override examples = doc.examples;
  static override args = { ...serverArg };
  static override flags = {
    ...projectFlag, ...waitFlags,
    image: Flags.string({ description: 'Image (id or name) to rebuild from; default: the server\'s current image.' }),
  };

  protected async execute(): Promise<{ server: ServerView }> {
    const f = this.flags;
    if (this.interactive && !(await ask.confirm({ message: `Rebuild ${this.args.server}? Its disk is replaced${f.image ? ` by image ${f.image}` : ''}.`, default: false }))) {
      throw new CancelledError();
    }
    return actAndWait(this.ctx, f, ['ACTIVE', 'SHUTOFF'], (project, user) => this.ctx.serverRebuilds.rebuild(this.args.server, project, user, { image: f.image }));
  }

  protected override renderHuman(r: { server: ServerView }): void {
    this.log(serverDetail(r.server));
  }
}
