import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { roleAssignmentView, RoleAssignmentView } from '../../lib/views/identity';
import { assignmentsTable } from '../user/_table';

export default class RoleList extends BaseCommand<typeof RoleList> {
  static override description = 'List role assignments (user × project × role), of one user or project if asked. Exit 3 when that user or project is unknown.';
  static override examples = ['<%= config.bin %> role list', '<%= config.bin %> role list --user alice --json', '<%= config.bin %> role list --project acme'];
  static override flags = {
    user: Flags.string({ description: 'Only this user (name or id).' }),
    project: Flags.string({ description: 'Only this project (name or id).' }),
  };

  protected async execute(): Promise<{ role_assignments: RoleAssignmentView[] }> {
    return { role_assignments: (await this.ctx.identity.listAssignments({ user: this.flags.user, project: this.flags.project })).map(roleAssignmentView) };
  }

  protected override renderHuman(r: { role_assignments: RoleAssignmentView[] }): void {
    this.log(r.role_assignments.length ? assignmentsTable(r.role_assignments) : 'No role assignments. Add one with `novalite role add USER --project P --role R`.');
  }
}
