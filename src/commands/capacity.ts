import { BaseCommand } from './_base';
import { requestFlags, scheduleInput } from './_schedule';
import { table } from './_render';

type Result = { flavor: string; total: number; hosts: Array<{ host: string; fits: number }> };

export default class Capacity extends BaseCommand<typeof Capacity> {
  static override description = 'How many more servers of a flavor fit now, in total and per host (the scheduler\'s filters and the claims\' arithmetic).';
  static override examples = ['<%= config.bin %> capacity --flavor m1.small', '<%= config.bin %> capacity --flavor m1.large --az az1 --json'];
  static override flags = { ...requestFlags };

  protected async execute(): Promise<Result> {
    const input = await scheduleInput(this.ctx, this.flags);
    return { flavor: input.flavor.name, ...(await this.ctx.scheduling.capacity(input)) };
  }

  protected override renderHuman(r: Result): void {
    this.log(`${r.total} more server(s) of flavor ${r.flavor} fit.`);
    if (r.hosts.length) this.log(table(r.hosts, [{ header: 'Host', get: (h) => h.host }, { header: 'Fits', get: (h) => h.fits }]));
  }
}
