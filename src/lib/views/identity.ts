/** Serializers for users and role assignments, shared by `--json` and the Identity v3 subset (Keystone's shapes). */
import type { RoleAssignment, User } from '../model/identity';

export interface UserView {
  id: string;
  name: string;
  domain_id: string;
  enabled: boolean;
  password_expires_at: null;
  options: Record<string, never>;
}

export function userView(u: User): UserView {
  return { id: u.id, name: u.name, domain_id: u.domainId, enabled: u.enabled, password_expires_at: null, options: {} };
}

export interface RoleAssignmentView {
  user: { id: string; name: string };
  project: { id: string; name: string };
  role: { id: string; name: string };
}

/** Fixed role ids (32 hex digits, as Keystone's), the same in every process and every install. */
export const ROLE_IDS: Record<string, string> = {
  admin: '0dd4ac4d0e0a4b6c9f2f6d7a1c3b5e01',
  member: '0dd4ac4d0e0a4b6c9f2f6d7a1c3b5e02',
  reader: '0dd4ac4d0e0a4b6c9f2f6d7a1c3b5e03',
};

export function roleView(name: string): { id: string; name: string } {
  return { id: ROLE_IDS[name] ?? name, name };
}

export function roleAssignmentView(a: RoleAssignment): RoleAssignmentView {
  return { user: { id: a.userId, name: a.userName }, project: { id: a.projectId, name: a.projectName }, role: roleView(a.role) };
}
