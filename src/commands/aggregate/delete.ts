import { Args } from '@oclif/core';
import { confirm } from '@inquirer/prompts';
import { BaseCommand } from '../_base';
import { CancelledError } from '../../lib/errors';
import { aggregateView, AggregateView } from '../../lib/views/aggregates';

export default class AggregateDelete extends BaseCommand<typeof AggregateDelete> {
  static override description = 'Delete a host aggregate. Refused (exit 4) while it has hosts.';
  static override examples = ['<%= config.bin %> aggregate delete fast-storage', '<%= config.bin %> aggregate delete rack-7 --yes --json'];
  static override args = { aggregate: Args.string({ description: 'Aggregate name, UUID or ID.', required: true }) };

  protected async execute() {
    if (this.interactive && !(await confirm({ message: `Delete aggregate ${this.args.aggregate}?`, default: false }))) {
      throw new CancelledError();
    }
    return { deleted: aggregateView(await this.ctx.aggregates.delete(this.args.aggregate)) };
  }

  protected override renderHuman(r: { deleted: AggregateView }): void {
    this.log(`Deleted aggregate ${r.deleted.name} (${r.deleted.uuid}).`);
  }
}
