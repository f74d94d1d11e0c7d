import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { roleAssignmentView, RoleAssignmentView } from '../../lib/views/identity';
import { requiredRoleFlag } from '../user/_table';

export default class RoleRemove extends BaseCommand<typeof RoleRemove> {
  static override description = 'Take a role on a project away from a user; tokens lose it at once. Exit 3 when the user does not hold it.';
  static override examples = ['<%= config.bin %> role remove alice --project acme --role member', '<%= config.bin %> role remove alice --project acme --role admin --json'];
  static override args = { user: Args.string({ description: 'User name or id.', required: true }) };
  static override flags = {
    project: Flags.string({ description: 'Project name or id.', required: true }),
    role: requiredRoleFlag,
  };

  protected async execute(): Promise<{ removed: RoleAssignmentView }> {
    return { removed: roleAssignmentView(await this.ctx.identity.removeRole(this.args.user, this.flags.project, this.flags.role)) };
  }

  protected override renderHuman(r: { removed: RoleAssignmentView }): void {
    this.log(`Took the ${r.removed.role.name} role on project ${r.removed.project.name} from ${r.removed.user.name}.`);
  }
}
