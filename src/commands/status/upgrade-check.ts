import { BaseCommand } from '../_base';
import { colour, table } from '../_render';
import type { CheckRow, CheckResult } from '../../lib/services/status';

type Result = { checks: CheckRow[]; result: CheckResult };

export default class StatusUpgradeCheck extends BaseCommand<typeof StatusUpgradeCheck> {
  static override description = 'Check that this install is ready: cells set up, schemas current, no data migration due. Exit 0 success, 1 warning, 2 failure (as nova-status).';
  static override aliases = ['status:upgrade_check'];
  static override examples = ['<%= config.bin %> status upgrade-check', '<%= config.bin %> status upgrade-check --json'];

  protected async execute(): Promise<Result> {
    return this.ctx.status.upgradeCheck();
  }

  protected override exitCodeFor(r: Result): number {
    return { Success: 0, Warning: 1, Failure: 2 }[r.result];
  }

  protected override renderHuman(r: Result): void {
    const paint = (x: CheckResult) => (x === 'Success' ? colour.ok(x) : x === 'Warning' ? colour.warn(x) : colour.bad(x));
    this.log(table(r.checks, [{ header: 'Check', get: (c) => c.check }, { header: 'Result', get: (c) => paint(c.result) }, { header: 'Details', get: (c) => c.details ?? '' }]));
  }
}
