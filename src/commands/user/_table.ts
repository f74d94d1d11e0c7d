/** Human output and flags shared by the user and role commands. */
import { Flags } from '@oclif/core';
import { Column, table } from '../_render';
import type { RoleAssignmentView, UserView } from '../../lib/views/identity';

const ROLE_HELP = 'Role: admin (everything), member (act in the project) or reader (look only).';
const ROLE_OPTIONS = ['admin', 'member', 'reader'];
export const roleFlag = Flags.string({ description: `${ROLE_HELP} Default: member (needs --project).`, options: ROLE_OPTIONS });
export const requiredRoleFlag = Flags.string({ description: ROLE_HELP, options: ROLE_OPTIONS, required: true });

export function usersTable(users: UserView[]): string {
  const cols: Column<UserView>[] = [{ header: 'ID', get: (u) => u.id }, { header: 'Name', get: (u) => u.name }, { header: 'Domain', get: (u) => u.domain_id }, { header: 'Enabled', get: (u) => u.enabled }];
  return table(users, cols);
}

export function assignmentsTable(rows: RoleAssignmentView[]): string {
  const cols: Column<RoleAssignmentView>[] = [{ header: 'User', get: (a) => a.user.name }, { header: 'Project', get: (a) => a.project.name }, { header: 'Role', get: (a) => a.role.name }, { header: 'Project ID', get: (a) => a.project.id }];
  return table(rows, cols);
}
