import { Args } from '@oclif/core';
import { confirm } from '@inquirer/prompts';
import { BaseCommand } from '../_base';
import { CancelledError } from '../../lib/errors';
import { flavorView, FlavorView } from '../../lib/views/flavors';

export default class FlavorDelete extends BaseCommand<typeof FlavorDelete> {
  static override description = 'Delete a flavor by ID or name. Exit 3 when unknown.';
  static override examples = ['<%= config.bin %> flavor delete m1.small', '<%= config.bin %> flavor delete 42 --yes --json'];
  static override args = { flavor: Args.string({ description: 'Flavor ID or name.', required: true }) };

  protected async execute() {
    if (this.interactive && !(await confirm({ message: `Delete flavor ${this.args.flavor}?`, default: false }))) {
      throw new CancelledError();
    }
    return { deleted: flavorView(await this.ctx.flavors.delete(this.args.flavor)) };
  }

  protected override renderHuman(r: { deleted: FlavorView }): void {
    this.log(`Deleted flavor ${r.deleted.name} (${r.deleted.id}).`);
  }
}
