import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { aggregateView, AggregateView } from '../../lib/views/aggregates';
import { aggregateDetail } from './_table';

export default class AggregateUnset extends BaseCommand<typeof AggregateUnset> {
  static override description = 'Remove metadata keys from a host aggregate (`availability_zone` removes its zone). Exit 3 when a key is not set.';
  static override examples = ['<%= config.bin %> aggregate unset fast-storage --property ssd', '<%= config.bin %> aggregate unset rack-7 --property availability_zone --json'];
  static override args = { aggregate: Args.string({ description: 'Aggregate name, UUID or ID.', required: true }) };
  static override flags = { property: Flags.string({ description: 'Metadata KEY to remove (repeatable).', multiple: true, required: true }) };

  protected async execute() {
    return { aggregate: aggregateView(await this.ctx.aggregates.unset(this.args.aggregate, this.flags.property)) };
  }

  protected override renderHuman(r: { aggregate: AggregateView }): void {
    this.log(aggregateDetail(r.aggregate));
  }
}
