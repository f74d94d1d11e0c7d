/**
 * Users and role assignments of the embedded Keystone (one domain, `default`), and the entry
 * points the API authenticates through (`callerForToken`, `basicCaller`, token issue and
 * revocation, in identity-auth.ts). Passwords are hashed with scrypt and a per-user salt; no
 * password, hash or token is ever part of a result, a message or a log line.
 */
import { randomUUID } from 'node:crypto';
import { Clock, isoTime } from '../clock';
import type { Config } from '../config';
import type { Stores } from '../db/stores';
import { ConflictError, InvalidInputError, isNovaliteError, NotFoundError } from '../errors';
import { DEFAULT_DOMAIN, isRole, RoleAssignment, RoleName, ROLES, User } from '../model/identity';
import type { Project } from '../model/images';
import { hashPassword } from './identity-crypto';
import { CallerInfo, IdentityAuth, ProjectScope, TokenGrant, UserRef } from './identity-auth';
import { normalizeProjectId, ProjectsService } from './projects';
import { checkName } from './validate';

export type { CallerInfo, ProjectScope, TokenGrant, UserRef } from './identity-auth';

export interface UserCreate { name: string; password: string; project?: string; role?: string; enabled?: boolean }

const HINT_USERS = 'Run `novalite user list`.';

export function checkRole(role: unknown): RoleName {
  if (!isRole(role)) throw new InvalidInputError(`Unknown role ${JSON.stringify(role)}: use ${ROLES.join(', ')}.`, { code: 'INVALID_ROLE' });
  return role;
}

function checkPassword(p: unknown): string {
  if (typeof p !== 'string' || p.length === 0) throw new InvalidInputError('A password must not be empty.', { code: 'INVALID_PASSWORD', hint: 'Give --password, set NOVALITE_USER_PASSWORD, or run on a terminal to be asked.' });
  if (p.length > 4096) throw new InvalidInputError('A password must be at most 4096 characters long.', { code: 'INVALID_PASSWORD' });
  return p;
}

export class IdentityService {
  readonly auth: IdentityAuth;
  private readonly projects: ProjectsService;

  constructor(private readonly stores: Stores, private readonly clock: Clock, opts: { config?: Config; projects?: ProjectsService } = {}) {
    this.projects = opts.projects ?? new ProjectsService(stores, clock);
    const ttl = () => (opts.config ? opts.config.get<number>('identity', 'token_expiration') : 3600);
    this.auth = new IdentityAuth(() => this.stores.api(), clock, ttl);
  }

  private async repo() { return (await this.stores.api()).identity; }
  private now(): string { return isoTime(this.clock.now()); }

  async listUsers(): Promise<User[]> { return (await this.repo()).listUsers(); }

  /** By id, then by name; exit 3 when unknown. */
  async getUser(ref: string): Promise<User> {
    const repo = await this.repo();
    const u = (await repo.userById(ref)) ?? (await repo.userByName(ref));
    if (!u) throw new NotFoundError('User', ref, { hint: HINT_USERS });
    return u;
  }

  /** A new user, with a role on a project (created when it does not exist) when one is given. Exit 4 when the name is taken. */
  async createUser(c: UserCreate): Promise<{ user: User; assignments: RoleAssignment[] }> {
    const name = checkName('user', c.name, 'NAME');
    const password = checkPassword(c.password);
    if (c.role !== undefined && c.project === undefined) throw new InvalidInputError('--role needs --project: a role is held on a project.');
    const role = c.project !== undefined ? checkRole(c.role ?? 'member') : null;
    const repo = await this.repo();
    const taken = () => new ConflictError(`A user named ${JSON.stringify(name)} already exists.`, { code: 'USER_EXISTS', hint: HINT_USERS });
    if (await repo.userByName(name)) throw taken();
    const project = c.project !== undefined ? await this.projectOrCreate(c.project) : null;
    let user: User;
    try {
      user = await repo.createUser({ id: randomUUID().replace(/-/g, ''), name, domainId: DEFAULT_DOMAIN.id, passwordHash: await hashPassword(password), enabled: c.enabled ?? true }, this.now());
    } catch (e) {
      if (await repo.userByName(name)) throw taken();
      throw e;
    }
    if (project && role) await repo.addAssignment(user.id, project.id, role, this.now());
    return { user, assignments: await repo.assignments({ userId: user.id }) };
  }

  private async projectOrCreate(ref: string): Promise<Project> {
    try {
      return await this.projects.resolve(ref);
    } catch (e) {
      // an id that names no project is a mistake, not a name for a new one
      if (!isNovaliteError(e) || e.category !== 'not_found' || normalizeProjectId(ref)) throw e;
      try {
        return await this.projects.create({ name: ref });
      } catch (e2) {
        if (isNovaliteError(e2) && e2.category === 'conflict') return this.projects.get(ref);
        throw e2;
      }
    }
  }

  async deleteUser(ref: string): Promise<User> {
    const u = await this.getUser(ref);
    await (await this.repo()).deleteUser(u.id);
    this.auth.forgetCredentials();
    return u;
  }

  /** Gives a user a role on a project (which must exist; `admin` is created on first use). Adding one held already changes nothing. */
  async addRole(userRef: string, projectRef: string, role: string): Promise<{ assignment: RoleAssignment; created: boolean }> {
    const r = checkRole(role);
    const user = await this.getUser(userRef);
    const project = await this.projects.resolve(projectRef);
    const repo = await this.repo();
    const created = await repo.addAssignment(user.id, project.id, r, this.now());
    return { assignment: { userId: user.id, userName: user.name, projectId: project.id, projectName: project.name, role: r }, created };
  }

  /** Exit 3 when the user does not hold that role there. */
  async removeRole(userRef: string, projectRef: string, role: string): Promise<RoleAssignment> {
    const r = checkRole(role);
    const user = await this.getUser(userRef);
    const project = await this.projects.get(projectRef);
    if (!(await (await this.repo()).removeAssignment(user.id, project.id, r))) {
      throw new NotFoundError('Role assignment', `${r} of ${user.name} on ${project.name}`, { hint: `Run \`novalite role list --user ${user.name}\`.` });
    }
    return { userId: user.id, userName: user.name, projectId: project.id, projectName: project.name, role: r };
  }

  async listAssignments(f: { user?: string; project?: string } = {}): Promise<RoleAssignment[]> {
    const userId = f.user !== undefined ? (await this.getUser(f.user)).id : undefined;
    const projectId = f.project !== undefined ? (await this.projects.get(f.project)).id : undefined;
    return (await this.repo()).assignments({ userId, projectId });
  }

  /** The projects a user holds any role on. */
  async projectsOf(userId: string): Promise<Project[]> {
    const seen = new Map<string, string>();
    for (const a of await (await this.repo()).assignments({ userId })) seen.set(a.projectId, a.projectName);
    const api = await this.stores.api();
    const out: Project[] = [];
    for (const id of seen.keys()) { const p = await api.projects.find(id); if (p) out.push(p); }
    return out;
  }

  /** Password authentication (401 on any failure). */
  async checkPassword(ref: UserRef, password: string): Promise<User> { return this.auth.checkPassword(ref, password); }
  async issueToken(user: User, scope: ProjectScope, methods: string[], opts?: { expiresAt?: number; parentAuditId?: string }) { return this.auth.issue(user, scope, methods, opts); }
  async validateToken(token: string): Promise<TokenGrant> { return this.auth.validate(token); }
  async revokeToken(token: string): Promise<void> { return this.auth.revoke(token); }

  /** The caller a token stands for; 401 when it is missing, forged, expired or revoked. */
  async callerForToken(token: string): Promise<CallerInfo> { return this.auth.callerForToken(token); }

  /** HTTP Basic: a user's name and password, scoped to their first project. */
  async basicCaller(user: string, password: string): Promise<CallerInfo> { return this.auth.basicCaller(user, password); }
}
