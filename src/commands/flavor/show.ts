import { Args } from '@oclif/core';
import { BaseCommand } from '../_base';
import { flavorAccessView, flavorView } from '../../lib/views/flavors';
import { flavorDetail, FlavorResult } from './_table';

export default class FlavorShow extends BaseCommand<typeof FlavorShow> {
  static override description = 'Show a flavor by ID or name, with its extra specs and (when private) the projects that may use it.';
  static override examples = ['<%= config.bin %> flavor show m1.small', '<%= config.bin %> flavor show 42 --json'];
  static override args = { flavor: Args.string({ description: 'Flavor ID or name.', required: true }) };

  protected async execute(): Promise<FlavorResult> {
    const flavor = await this.ctx.flavors.get(this.args.flavor);
    return { flavor: flavorView(flavor), flavor_access: flavorAccessView(flavor) };
  }

  protected override renderHuman(r: FlavorResult): void {
    this.log(flavorDetail(r));
  }
}
