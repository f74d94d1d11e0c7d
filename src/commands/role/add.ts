import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { roleAssignmentView, RoleAssignmentView } from '../../lib/views/identity';
import { requiredRoleFlag } from '../user/_table';

type Result = { role_assignment: RoleAssignmentView; created: boolean };

export default class RoleAdd extends BaseCommand<typeof RoleAdd> {
  static override description = 'Give a user a role on a project. Adding a role the user holds already changes nothing (exit 0, created: false). Exit 3 when the user or project is unknown.';
  static override examples = ['<%= config.bin %> role add alice --project acme --role member', '<%= config.bin %> role add bob --project acme --role reader --json'];
  static override args = { user: Args.string({ description: 'User name or id.', required: true }) };
  static override flags = {
    project: Flags.string({ description: 'Project name or id.', required: true }),
    role: requiredRoleFlag,
  };

  protected async execute(): Promise<Result> {
    const r = await this.ctx.identity.addRole(this.args.user, this.flags.project, this.flags.role);
    return { role_assignment: roleAssignmentView(r.assignment), created: r.created };
  }

  protected override renderHuman(r: Result): void {
    const a = r.role_assignment;
    this.log(`${r.created ? 'Gave' : 'Already held:'} ${a.user.name} the ${a.role.name} role on project ${a.project.name}.`);
  }
}
