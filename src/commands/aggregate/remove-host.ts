import { Args } from '@oclif/core';
import { BaseCommand } from '../_base';
import { aggregateView, AggregateView } from '../../lib/views/aggregates';

export default class AggregateRemoveHost extends BaseCommand<typeof AggregateRemoveHost> {
  static override description = 'Remove a host from an aggregate. Exit 3 when the host is not in it.';
  static override examples = ['<%= config.bin %> aggregate remove-host fast-storage compute-1', '<%= config.bin %> aggregate remove-host rack-7 compute-9 --json'];
  static override args = {
    aggregate: Args.string({ description: 'Aggregate name, UUID or ID.', required: true }),
    host: Args.string({ description: 'Host name.', required: true }),
  };

  protected async execute() {
    return { aggregate: aggregateView(await this.ctx.aggregates.removeHost(this.args.aggregate, this.args.host)) };
  }

  protected override renderHuman(r: { aggregate: AggregateView }): void {
    this.log(`Removed host ${this.args.host} from aggregate ${r.aggregate.name}; it now has ${r.aggregate.hosts.length} host(s).`);
  }
}
