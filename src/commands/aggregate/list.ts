import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { aggregateView, AggregateView } from '../../lib/views/aggregates';
import { aggregatesTable } from './_table';

export default class AggregateList extends BaseCommand<typeof AggregateList> {
  static override description = 'List host aggregates with their availability zones.';
  static override examples = ['<%= config.bin %> aggregate list', '<%= config.bin %> aggregate list --long', '<%= config.bin %> aggregate list --json'];
  static override flags = { long: Flags.boolean({ description: 'Also hosts, properties and UUID.' }) };

  protected async execute() {
    return { aggregates: (await this.ctx.aggregates.list()).map(aggregateView) };
  }

  protected override renderHuman(r: { aggregates: AggregateView[] }): void {
    this.log(r.aggregates.length ? aggregatesTable(r.aggregates, this.flags.long) : 'No aggregates. Create one with `novalite aggregate create`.');
  }
}
