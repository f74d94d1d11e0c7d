import { Args } from '@oclif/core';
import { BaseCommand } from '../_base';
import { projectView, ProjectView } from '../../lib/views/projects';
import { projectDetail } from './_table';

export default class ProjectShow extends BaseCommand<typeof ProjectShow> {
  static override description = 'Show a project by id or name. Exit 3 when unknown.';
  static override examples = ['<%= config.bin %> project show acme', '<%= config.bin %> project show 4f2c0b1e9d8a4c6b8e0f1a2b3c4d5e6f --json'];
  static override args = { project: Args.string({ description: 'Project id or name.', required: true }) };

  protected async execute(): Promise<{ project: ProjectView }> {
    return { project: projectView(await this.ctx.projects.resolve(this.args.project)) };
  }

  protected override renderHuman(r: { project: ProjectView }): void {
    this.log(projectDetail(r.project));
  }
}
