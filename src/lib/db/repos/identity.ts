/**
 * API DB: the embedded Keystone's users, role assignments, token signing keys and revoked
 * tokens. Password hashes leave this repo only through `passwordHash`, for verification.
 */
import type { Knex } from 'knex';
import { isRole, RoleAssignment, RoleName, User } from '../../model/identity';

type Row = Record<string, any>;

const toUser = (r: Row): User => ({ id: r.id, name: r.name, domainId: r.domain_id, enabled: !!r.enabled, createdAt: r.created_at });

const toAssignment = (r: Row): RoleAssignment => ({
  userId: r.user_id, userName: r.user_name, projectId: r.project_id, projectName: r.project_name, role: r.role,
});

export class IdentityRepo {
  constructor(private readonly k: Knex) {}

  async listUsers(): Promise<User[]> {
    return (await this.k('users').orderBy([{ column: 'name' }, { column: 'id' }])).map(toUser);
  }

  async userById(id: string): Promise<User | null> {
    const r = await this.k('users').where({ id }).first();
    return r ? toUser(r) : null;
  }

  async userByName(name: string, domainId = 'default'): Promise<User | null> {
    const r = await this.k('users').where({ name, domain_id: domainId }).first();
    return r ? toUser(r) : null;
  }

  /** The stored scrypt hash (for verification only), or null for an unknown user. */
  async passwordHash(userId: string): Promise<string | null> {
    const r = await this.k('users').where({ id: userId }).first('password_hash');
    return r ? r.password_hash : null;
  }

  async createUser(u: { id: string; name: string; domainId: string; passwordHash: string; enabled: boolean }, now: string): Promise<User> {
    await this.k('users').insert({ id: u.id, name: u.name, domain_id: u.domainId, password_hash: u.passwordHash, enabled: u.enabled, created_at: now });
    return (await this.userById(u.id))!;
  }

  async updateUser(id: string, patch: { passwordHash?: string; enabled?: boolean }, now: string): Promise<number> {
    const row: Row = { updated_at: now };
    if (patch.passwordHash !== undefined) row.password_hash = patch.passwordHash;
    if (patch.enabled !== undefined) row.enabled = patch.enabled;
    return this.k('users').where({ id }).update(row);
  }

  /** Deletes a user and every role assignment they hold. */
  async deleteUser(id: string): Promise<number> {
    return this.k.transaction(async (tx): Promise<number> => {
      await tx('role_assignments').where({ user_id: id }).delete();
      return Number(await tx('users').where({ id }).delete());
    });
  }

  /** Assignments with user and project names, ordered by user, project, role; projects that are gone are left out. */
  async assignments(f: { userId?: string; projectId?: string } = {}): Promise<RoleAssignment[]> {
    const q = this.k('role_assignments as a')
      .join('users as u', 'u.id', 'a.user_id')
      .join('projects as p', 'p.uuid', 'a.project_id')
      .select('a.user_id', 'u.name as user_name', 'a.project_id', 'p.name as project_name', 'a.role')
      .orderBy([{ column: 'u.name' }, { column: 'p.name' }, { column: 'a.role' }]);
    if (f.userId !== undefined) q.where('a.user_id', f.userId);
    if (f.projectId !== undefined) q.where('a.project_id', f.projectId);
    return (await q).map(toAssignment);
  }

  /** The roles a user holds on a project (as assigned, not implied). */
  async rolesOn(userId: string, projectId: string): Promise<RoleName[]> {
    const rows = await this.k('role_assignments').where({ user_id: userId, project_id: projectId }).select('role');
    return rows.map((r: Row) => r.role).filter(isRole);
  }

  /** The project of the user's earliest assignment that still exists, for unscoped requests. */
  async firstProject(userId: string): Promise<string | null> {
    const r = await this.k('role_assignments as a').join('projects as p', 'p.uuid', 'a.project_id')
      .where('a.user_id', userId).orderBy('a.id').first('a.project_id');
    return r ? r.project_id : null;
  }

  /** True when the assignment is new (adding one that exists changes nothing). */
  async addAssignment(userId: string, projectId: string, role: RoleName, now: string): Promise<boolean> {
    const before = await this.k('role_assignments').where({ user_id: userId, project_id: projectId, role }).first('id');
    if (before) return false;
    await this.k('role_assignments').insert({ user_id: userId, project_id: projectId, role, created_at: now })
      .onConflict(['user_id', 'project_id', 'role']).ignore();
    return true;
  }

  async removeAssignment(userId: string, projectId: string, role: RoleName): Promise<number> {
    return this.k('role_assignments').where({ user_id: userId, project_id: projectId, role }).delete();
  }

  async key(name: string): Promise<string | null> {
    const r = await this.k('identity_keys').where({ name }).first('value');
    return r ? r.value : null;
  }

  /** Stores a key unless one of that name exists (two processes racing keep the first). */
  async addKey(name: string, value: string, now: string): Promise<void> {
    await this.k('identity_keys').insert({ name, value, created_at: now }).onConflict('name').ignore();
  }

  async revoke(auditId: string, expiresAt: string, now: string): Promise<void> {
    await this.k('revoked_tokens').where('expires_at', '<', now).delete();
    await this.k('revoked_tokens').insert({ audit_id: auditId, expires_at: expiresAt, created_at: now }).onConflict('audit_id').ignore();
  }

  async isRevoked(auditIds: string[]): Promise<boolean> {
    if (!auditIds.length) return false;
    return !!(await this.k('revoked_tokens').whereIn('audit_id', auditIds).first('audit_id'));
  }
}
