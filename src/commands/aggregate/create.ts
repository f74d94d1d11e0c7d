import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { parseProperties } from '../../lib/services/validate';
import { aggregateView, AggregateView } from '../../lib/views/aggregates';
import { aggregateDetail } from './_table';

export default class AggregateCreate extends BaseCommand<typeof AggregateCreate> {
  static override description = 'Create a host aggregate, optionally as an availability zone and with metadata. Exit 4 when the name is taken.';
  static override examples = [
    '<%= config.bin %> aggregate create fast-storage --property ssd=true',
    '<%= config.bin %> aggregate create rack-7 --zone az2 --json',
  ];
  static override args = { name: Args.string({ description: 'Aggregate name.', required: true }) };
  static override flags = {
    zone: Flags.string({ description: 'Make the aggregate this availability zone.' }),
    property: Flags.string({ description: 'Metadata KEY=VALUE (repeatable).', multiple: true }),
  };

  protected async execute() {
    const a = await this.ctx.aggregates.create(this.args.name, { zone: this.flags.zone, properties: parseProperties(this.flags.property) });
    return { aggregate: aggregateView(a) };
  }

  protected override renderHuman(r: { aggregate: AggregateView }): void {
    this.log(aggregateDetail(r.aggregate));
  }
}
