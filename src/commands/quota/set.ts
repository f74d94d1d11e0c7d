import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { InvalidInputError } from '../../lib/errors';
import { limitsFrom, RESOURCE_FLAGS } from './_flags';

export default class QuotaSet extends BaseCommand<typeof QuotaSet> {
  static override description = 'Set quota limits for a project, one of its users, or a quota class (the class `default` changes the defaults).';
  static override examples = ['<%= config.bin %> quota set --project demo --instances 20 --cores 40', '<%= config.bin %> quota set --class default --ram 102400'];
  static override flags = {
    project: Flags.string({ description: 'Project (name or id).', default: 'admin' }),
    user: Flags.string({ description: 'Limit one user of the project.' }),
    class: Flags.string({ description: 'Set a quota class instead of a project.' }),
    ...RESOURCE_FLAGS,
  };

  protected async execute() {
    const limits = limitsFrom(this.flags);
    if (!Object.keys(limits).length) throw new InvalidInputError('Nothing to set.', { hint: 'Pass at least one of --instances, --cores, --ram, --key-pairs, --server-groups, --server-group-members, --metadata-items.' });
    if (this.flags.class) {
      await this.ctx.quotas.set({ className: this.flags.class }, limits);
      return { quota_class_set: { id: this.flags.class, ...limits } };
    }
    const project = await this.ctx.projects.resolve(this.flags.project);
    await this.ctx.quotas.set({ projectId: project.id, userId: this.flags.user }, limits);
    return { quota_set: { project_id: project.id, user_id: this.flags.user ?? null, ...(await this.ctx.quotas.show(project.id, this.flags.user)) } };
  }

  protected override renderHuman(): void {
    this.log('Quota updated.');
  }
}
