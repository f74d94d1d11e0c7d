import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { projectView, ProjectView } from '../../lib/views/projects';
import { projectsTable } from './_table';

export default class ProjectList extends BaseCommand<typeof ProjectList> {
  static override description = 'List projects (the admin project always exists).';
  static override examples = ['<%= config.bin %> project list', '<%= config.bin %> project list --long', '<%= config.bin %> project list --json'];
  static override flags = {
    long: Flags.boolean({ description: 'Also domain, description and enabled.' }),
  };

  protected async execute(): Promise<{ projects: ProjectView[] }> {
    await this.ctx.projects.ensureAdmin();
    return { projects: (await this.ctx.projects.list()).map(projectView) };
  }

  protected override renderHuman(r: { projects: ProjectView[] }): void {
    this.log(projectsTable(r.projects, this.flags.long));
  }
}
