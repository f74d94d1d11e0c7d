import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import type { ServerView } from '../../lib/views/servers';
import { projectFlag, serverArg, waitFlags } from './_flags';
import { actAndWait, rebuildDoc } from './_rebuilds';
import { serverDetail } from './_table';

const doc = rebuildDoc('rescue', [
  'Put a server in rescue mode: it boots from a rescue image (--image, default: its own image) with its disk attached, to repair it;',
  'it becomes RESCUE. `server unrescue` brings it back. Exit 2 when the host\'s driver cannot rescue.',
].join(' '), ['web1 --image rescue-img --wait --json']);

export default class ServerRescue extends BaseCommand<typeof ServerRescue> {
  static override description = doc.description;
  static override examples = doc.examples;
  static override args = { ...serverArg };
  static override flags = {
    ...projectFlag, ...waitFlags,
    image: Flags.string({ description: 'Image (id or name) to boot the rescue system from; default: the server\'s own image.' }),
  };

  protected async execute(): Promise<{ server: ServerView }> {
    const f = this.flags;
    return actAndWait(this.ctx, f, ['RESCUE'], (project, user) => this.ctx.serverRebuilds.rescue(this.args.server, project, user, { image: f.image }));
  }

  protected override renderHuman(r: { server: ServerView }): void {
    this.log(serverDetail(r.server));
  }
}
