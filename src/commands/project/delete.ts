import { Args } from '@oclif/core';
import { confirm } from '@inquirer/prompts';
import { BaseCommand } from '../_base';
import { CancelledError } from '../../lib/errors';
import { projectView, ProjectView } from '../../lib/views/projects';

export default class ProjectDelete extends BaseCommand<typeof ProjectDelete> {
  static override description = 'Delete a project by id or name. Refused (exit 4) while it owns servers or images; exit 3 when unknown.';
  static override examples = ['<%= config.bin %> project delete acme', '<%= config.bin %> project delete acme --yes --json'];
  static override args = { project: Args.string({ description: 'Project id or name.', required: true }) };

  protected async execute() {
    if (this.interactive && !(await confirm({ message: `Delete project ${this.args.project}?`, default: false }))) {
      throw new CancelledError();
    }
    return { deleted: projectView(await this.ctx.projects.delete(this.args.project)) };
  }

  protected override renderHuman(r: { deleted: ProjectView }): void {
    this.log(`Deleted project ${r.deleted.name} (${r.deleted.id}).`);
  }
}
