/** Users, role assignments and tokens of the embedded Keystone (one domain: `default`). */

/** The roles there are, strongest first. Keystone's default implied roles: admin ⇒ member ⇒ reader. */
export const ROLES = ['admin', 'member', 'reader'] as const;
export type RoleName = (typeof ROLES)[number];

export function isRole(r: unknown): r is RoleName {
  return typeof r === 'string' && (ROLES as readonly string[]).includes(r);
}

/** A role with the roles it implies (admin → admin, member, reader). */
export function impliedRoles(roles: readonly string[]): RoleName[] {
  const i = Math.min(...roles.filter(isRole).map((r) => ROLES.indexOf(r)));
  return Number.isFinite(i) ? ROLES.slice(i) : [];
}

export const DEFAULT_DOMAIN = { id: 'default', name: 'Default' } as const;

export interface User {
  id: string;
  name: string;
  domainId: string;
  enabled: boolean;
  createdAt: string;
}

export interface RoleAssignment {
  userId: string;
  userName: string;
  projectId: string;
  projectName: string;
  role: RoleName;
}

/** What a token carries (signed; never stored). Times are epoch milliseconds. */
export interface TokenPayload {
  userId: string;
  projectId: string;
  roles: RoleName[];
  issuedAt: number;
  expiresAt: number;
  auditId: string;
  methods: string[];
}
