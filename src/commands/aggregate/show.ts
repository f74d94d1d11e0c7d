import { Args } from '@oclif/core';
import { BaseCommand } from '../_base';
import { aggregateView, AggregateView } from '../../lib/views/aggregates';
import { aggregateDetail } from './_table';

export default class AggregateShow extends BaseCommand<typeof AggregateShow> {
  static override description = 'Show a host aggregate (by name, UUID or ID): its zone, hosts and metadata.';
  static override examples = ['<%= config.bin %> aggregate show fast-storage', '<%= config.bin %> aggregate show 3 --json'];
  static override args = { aggregate: Args.string({ description: 'Aggregate name, UUID or ID.', required: true }) };

  protected async execute() {
    return { aggregate: aggregateView(await this.ctx.aggregates.get(this.args.aggregate)) };
  }

  protected override renderHuman(r: { aggregate: AggregateView }): void {
    this.log(aggregateDetail(r.aggregate));
  }
}
