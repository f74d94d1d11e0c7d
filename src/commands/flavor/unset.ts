import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { flavorAccessView, flavorView } from '../../lib/views/flavors';
import { flavorDetail, FlavorResult } from './_table';

export default class FlavorUnset extends BaseCommand<typeof FlavorUnset> {
  static override description = 'Remove extra specs from a flavor, or a project\'s access to a private flavor. Exit 3 when the key or access does not exist.';
  static override examples = ['<%= config.bin %> flavor unset m1.small --property hw:cpu_policy', '<%= config.bin %> flavor unset gpu.large --project acme --json'];
  static override args = { flavor: Args.string({ description: 'Flavor ID or name.', required: true }) };
  static override flags = {
    property: Flags.string({ description: 'Extra spec KEY to remove (repeatable).', multiple: true }),
    project: Flags.string({ description: 'Remove this project\'s access.' }),
  };

  protected async execute(): Promise<FlavorResult> {
    const flavor = await this.ctx.flavors.unset(this.args.flavor, { properties: this.flags.property, project: this.flags.project });
    return { flavor: flavorView(flavor), flavor_access: flavorAccessView(flavor) };
  }

  protected override renderHuman(r: FlavorResult): void {
    this.log(flavorDetail(r));
  }
}
