import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { parseProperties } from '../../lib/services/validate';
import { flavorAccessView, flavorView } from '../../lib/views/flavors';
import { flavorDetail, FlavorResult } from './_table';

export default class FlavorSet extends BaseCommand<typeof FlavorSet> {
  static override description = 'Set extra specs or the description of a flavor, or give a project access to a private flavor (exit 4 on a public one).';
  static override examples = [
    '<%= config.bin %> flavor set m1.small --property hw:cpu_policy=dedicated --property quota:disk_read_iops_sec=500',
    '<%= config.bin %> flavor set gpu.large --project acme --json',
  ];
  static override args = { flavor: Args.string({ description: 'Flavor ID or name.', required: true }) };
  static override flags = {
    property: Flags.string({ description: 'Extra spec KEY=VALUE to add or change (repeatable).', multiple: true }),
    'no-property': Flags.boolean({ description: 'Remove every extra spec first (then apply --property).' }),
    description: Flags.string({ description: 'New description.' }),
    project: Flags.string({ description: 'Give this project access to the (private) flavor.' }),
  };

  protected async execute(): Promise<FlavorResult> {
    const f = this.flags;
    const properties = parseProperties(f.property);
    if (f['no-property']) {
      const current = await this.ctx.flavors.get(this.args.flavor);
      await this.ctx.flavors.unset(current.flavorid, { properties: Object.keys(current.extraSpecs) });
    }
    const flavor = await this.ctx.flavors.set(this.args.flavor, { properties, description: f.description, project: f.project });
    return { flavor: flavorView(flavor), flavor_access: flavorAccessView(flavor) };
  }

  protected override renderHuman(r: FlavorResult): void {
    this.log(flavorDetail(r));
  }
}
