import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { table } from '../_render';
import type { QuotaView } from '../../lib/services/quotas';

type Result = { quota_set: QuotaView & { project_id: string | null; user_id: string | null } };

export default class QuotaShow extends BaseCommand<typeof QuotaShow> {
  static override description = 'Show the quota limits of a project (or one of its users) and what is in use; --default shows the defaults.';
  static override examples = ['<%= config.bin %> quota show', '<%= config.bin %> quota show --project demo --user alice --json', '<%= config.bin %> quota show --default'];
  static override flags = {
    project: Flags.string({ description: 'Project (name or id).', default: 'admin' }),
    user: Flags.string({ description: 'A user of the project.' }),
    default: Flags.boolean({ description: 'The defaults every project starts from.' }),
  };

  protected async execute(): Promise<Result> {
    if (this.flags.default) {
      const limits = await this.ctx.quotas.defaults();
      return { quota_set: { project_id: null, user_id: null, limits, in_use: {} } };
    }
    const project = await this.ctx.projects.resolve(this.flags.project);
    return { quota_set: { project_id: project.id, user_id: this.flags.user ?? null, ...(await this.ctx.quotas.show(project.id, this.flags.user)) } };
  }

  protected override renderHuman(r: Result): void {
    const q = r.quota_set;
    this.log(table(Object.keys(q.limits).map((k) => ({ k, limit: q.limits[k], used: q.in_use[k] ?? '' })), [
      { header: 'Resource', get: (x) => x.k }, { header: 'Limit', get: (x) => x.limit }, { header: 'In Use', get: (x) => x.used },
    ]));
  }
}
