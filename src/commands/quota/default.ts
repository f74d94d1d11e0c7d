import { BaseCommand } from '../_base';
import { table } from '../_render';

export default class QuotaDefault extends BaseCommand<typeof QuotaDefault> {
  static override description = 'Show the default quotas every project starts from (built-in defaults overridden by the quota class `default`).';
  static override examples = ['<%= config.bin %> quota default', '<%= config.bin %> quota default --json'];

  protected async execute(): Promise<{ quota_class_set: Record<string, number | string> }> {
    return { quota_class_set: { id: 'default', ...(await this.ctx.quotas.defaults()) } };
  }

  protected override renderHuman(r: { quota_class_set: Record<string, number | string> }): void {
    const rows = Object.entries(r.quota_class_set).filter(([k]) => k !== 'id');
    this.log(table(rows, [{ header: 'Resource', get: (x) => x[0] }, { header: 'Default', get: (x) => x[1] }]));
  }
}
