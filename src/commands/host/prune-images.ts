import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../_base';

type Result = { host: string; removed: string[] };

export default class HostPruneImages extends BaseCommand<typeof HostPruneImages> {
  static override description = 'Remove cached base images from a host that no server there uses and that were not used for --min-age seconds.';
  static override examples = ['<%= config.bin %> host prune-images kvm-1', '<%= config.bin %> host prune-images kvm-1 --min-age 0 --json'];
  static override args = { name: Args.string({ description: 'Host name.', required: true }) };
  static override flags = { 'min-age': Flags.integer({ description: 'Seconds since last use before an unused base goes.', default: 86400, min: 0 }) };

  protected async execute(): Promise<Result> {
    return { host: this.args.name, removed: await this.ctx.hostChecks.pruneImages(this.args.name, this.flags['min-age']) };
  }

  protected override renderHuman(r: Result): void {
    this.log(r.removed.length ? `Removed ${r.removed.length} unused base image(s) from ${r.host}: ${r.removed.join(', ')}` : `Nothing to remove on ${r.host}.`);
  }
}
