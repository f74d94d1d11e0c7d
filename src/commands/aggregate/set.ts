import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { parseProperties } from '../../lib/services/validate';
import { aggregateView, AggregateView } from '../../lib/views/aggregates';
import { aggregateDetail } from './_table';

export default class AggregateSet extends BaseCommand<typeof AggregateSet> {
  static override description = 'Rename a host aggregate, change its availability zone (exit 4 if a host would be in two zones) or set metadata.';
  static override examples = [
    '<%= config.bin %> aggregate set fast-storage --property ssd=true --property filter_tenant_id=acme',
    '<%= config.bin %> aggregate set rack-7 --name rack-7b --zone az3 --json',
  ];
  static override args = { aggregate: Args.string({ description: 'Aggregate name, UUID or ID.', required: true }) };
  static override flags = {
    name: Flags.string({ description: 'New name.' }),
    zone: Flags.string({ description: 'New availability zone.' }),
    property: Flags.string({ description: 'Metadata KEY=VALUE to add or change (repeatable).', multiple: true }),
  };

  protected async execute() {
    const f = this.flags;
    const a = await this.ctx.aggregates.set(this.args.aggregate, { name: f.name, zone: f.zone, properties: parseProperties(f.property) });
    return { aggregate: aggregateView(a) };
  }

  protected override renderHuman(r: { aggregate: AggregateView }): void {
    this.log(aggregateDetail(r.aggregate));
  }
}
