import { Args } from '@oclif/core';
import { BaseCommand } from '../_base';
import { aggregateView, AggregateView } from '../../lib/views/aggregates';

export default class AggregateAddHost extends BaseCommand<typeof AggregateAddHost> {
  static override description = 'Add a host to an aggregate. Exit 3 for an unknown host, 4 if it is already there or would end up in two availability zones.';
  static override examples = ['<%= config.bin %> aggregate add-host fast-storage compute-1', '<%= config.bin %> aggregate add-host rack-7 compute-9 --json'];
  static override args = {
    aggregate: Args.string({ description: 'Aggregate name, UUID or ID.', required: true }),
    host: Args.string({ description: 'Host name.', required: true }),
  };

  protected async execute() {
    return { aggregate: aggregateView(await this.ctx.aggregates.addHost(this.args.aggregate, this.args.host)) };
  }

  protected override renderHuman(r: { aggregate: AggregateView }): void {
    this.log(`Added host ${this.args.host} to aggregate ${r.aggregate.name}; it now has ${r.aggregate.hosts.length} host(s).`);
  }
}
