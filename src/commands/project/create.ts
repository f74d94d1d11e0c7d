import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { projectView, ProjectView } from '../../lib/views/projects';
import { projectDetail } from './_table';

export default class ProjectCreate extends BaseCommand<typeof ProjectCreate> {
  static override description = 'Create a project (a tenant that owns servers, images and key pairs). Exit 4 when the name or id is taken.';
  static override examples = [
    '<%= config.bin %> project create acme --description "ACME web team"',
    '<%= config.bin %> project create ci --json',
  ];
  static override args = { name: Args.string({ description: 'Project name (unique).', required: true }) };
  static override flags = {
    description: Flags.string({ description: 'Free-form description.' }),
    id: Flags.string({ description: 'Project id: 32 hex digits (default: generated).' }),
  };

  protected async execute(): Promise<{ project: ProjectView }> {
    const p = await this.ctx.projects.create({ name: this.args.name, description: this.flags.description, id: this.flags.id });
    return { project: projectView(p) };
  }

  protected override renderHuman(r: { project: ProjectView }): void {
    this.log(projectDetail(r.project));
  }
}
