import { BaseCommand } from '../_base';
import { requestFlags, scheduleInput } from '../_schedule';
import { colour, table } from '../_render';
import type { Explanation } from '../../lib/services/scheduling';

export default class ScheduleExplain extends BaseCommand<typeof ScheduleExplain> {
  static override description = 'Run the scheduler for a request without claiming anything: the chosen host, the runners-up with their weights, and what each filter removed and why. Exits 0 when a host fits, 5 when none does.';
  static override examples = [
    '<%= config.bin %> schedule explain --flavor m1.large',
    '<%= config.bin %> schedule explain --flavor m1.small --az az1 --hint different_host=8e1c… --json',
  ];
  static override flags = { ...requestFlags };

  protected async execute(): Promise<Explanation> {
    return this.ctx.scheduling.explain(await scheduleInput(this.ctx, this.flags));
  }

  protected override exitCodeFor(r: Explanation): number {
    return r.selected ? 0 : 5;
  }

  protected override renderHuman(r: Explanation): void {
    this.log(r.selected ? colour.ok(`Chosen: ${r.selected.host} (weight ${r.selected.weight.toFixed(3)})`) : colour.bad('No valid host.'));
    this.log(r.message);
    this.log('');
    this.log(table(r.filters, [
      { header: 'Filter', get: (f) => f.filter }, { header: 'Before', get: (f) => f.before },
      { header: 'Removed', get: (f) => f.removed }, { header: 'After', get: (f) => f.after },
      { header: 'Why', get: (f) => f.summary ?? f.reasons.map((x) => `${x.hosts}× ${x.reason}`).join('; ') },
    ]));
    if (r.runnersUp.length) {
      this.log('');
      const names = r.weighers.map((w) => w.weigher);
      const rows = r.selected ? [r.selected, ...r.runnersUp] : r.runnersUp;
      this.log(table(rows, [
        { header: 'Host', get: (h) => h.host }, { header: 'Weight', get: (h) => h.weight.toFixed(3) },
        ...names.map((n) => ({ header: n.replace(/Weigher$/, ''), get: (h: (typeof rows)[number]) => (h.weights[n] ?? 0).toFixed(2) })),
      ]));
    }
  }
}
