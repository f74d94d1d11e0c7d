/**
 * Authentication for the embedded Keystone: passwords checked against scrypt hashes, tokens
 * issued and validated (HMAC-SHA256 with a key kept in the API database, created on first use
 * and shared by every serve process), revocation by audit id, and HTTP Basic callers. Every
 * failure is the same 401 to the outside; nothing here ever puts a password or token in a message.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { Clock, isoTime } from '../clock';
import type { IdentityRepo } from '../db/repos/identity';
import type { ProjectRepo } from '../db/repos/projects';
import { UnauthorizedError } from '../errors';
import { DEFAULT_DOMAIN, impliedRoles, RoleName, TokenPayload, User } from '../model/identity';
import type { Project } from '../model/images';
import { newAuditId, newSigningKey, readToken, signToken, verifyPassword } from './identity-crypto';

export interface CallerInfo {
  userId: string; userName: string; projectId: string; projectName: string; roles: string[]; isAdmin: boolean;
}

/** A token with what it stands for (the body of a Keystone token response is built from this). */
export interface TokenGrant { token: string; payload: TokenPayload; user: User; project: Project }

/** Which user: by id, or by name in a domain given by id (`default`) or name (`Default`). */
export interface UserRef { id?: string; name?: string; domain?: { id?: string; name?: string } }
/** Which project: by id, or by name (in the default domain). Null: the user's first project. */
export type ProjectScope = { id?: string; name?: string; domain?: { id?: string; name?: string } } | null;

const denied = (why = 'The request you have made requires authentication.') => new UnauthorizedError(why);

export function isDefaultDomain(d: { id?: string; name?: string } | undefined): boolean {
  return !d || d.id === DEFAULT_DOMAIN.id || (d.id === undefined && d.name === DEFAULT_DOMAIN.name);
}

export class IdentityAuth {
  private signingKey: string | null = null;
  /** Recent HTTP Basic successes, keyed by an HMAC of the credentials (never the password), so scrypt runs once a minute, not per request. */
  private readonly basicCache = new Map<string, { userId: string; until: number }>();
  private readonly cacheKey = randomBytes(32);

  constructor(
    private readonly repos: () => Promise<{ identity: IdentityRepo; projects: ProjectRepo }>,
    private readonly clock: Clock,
    private readonly ttlSeconds: () => number,
  ) {}

  private async key(): Promise<string> {
    if (this.signingKey) return this.signingKey;
    const { identity } = await this.repos();
    let k = await identity.key('token');
    if (!k) {
      await identity.addKey('token', newSigningKey(), isoTime(this.clock.now()));
      k = await identity.key('token');
    }
    this.signingKey = k;
    return k!;
  }

  /** The user a name or id and password stand for; 401 for an unknown user, a wrong password or a disabled user. */
  async checkPassword(ref: UserRef, password: string): Promise<User> {
    const { identity } = await this.repos();
    let user: User | null = null;
    if (ref.id) user = await identity.userById(ref.id);
    else if (ref.name && isDefaultDomain(ref.domain)) user = await identity.userByName(ref.name);
    const ok = await verifyPassword(String(password), user ? await identity.passwordHash(user.id) : null);
    if (!user || !ok) throw denied('Invalid user name or password.');
    if (!user.enabled) throw denied('The user is disabled.');
    return user;
  }

  /** Where a user's request lands and with which roles (assigned plus implied); 401 without an assignment there. */
  private async scope(user: User, scope: ProjectScope): Promise<{ project: Project; roles: RoleName[] }> {
    const { identity, projects } = await this.repos();
    let project: Project | null = null;
    if (scope === null) {
      const first = await identity.firstProject(user.id);
      project = first ? await projects.find(first) : null;
      if (!project) throw denied(`User ${user.name} has no role on any project.`);
    } else {
      if (scope.id) project = await projects.find(scope.id);
      else if (scope.name && isDefaultDomain(scope.domain)) project = await projects.find(scope.name);
      if (project && scope.id && project.id !== scope.id) project = null;
      if (project && !scope.id && project.name !== scope.name) project = null;
      if (!project) throw denied('Could not find the project to scope to.');
    }
    if (!project.enabled) throw denied(`Project ${project.name} is disabled.`);
    const roles = impliedRoles(await identity.rolesOn(user.id, project.id));
    if (!roles.length) throw denied(`User ${user.name} has no role on project ${project.name}.`);
    return { project, roles };
  }

  /** A new token for a user, scoped to a project. `expiresAt` caps it (a token from a token expires with its parent). */
  async issue(user: User, scope: ProjectScope, methods: string[], opts: { expiresAt?: number; parentAuditId?: string } = {}): Promise<TokenGrant & { auditIds: string[] }> {
    const { project, roles } = await this.scope(user, scope);
    const now = this.clock.now().getTime();
    const expiresAt = Math.min(now + this.ttlSeconds() * 1000, opts.expiresAt ?? Infinity);
    const payload: TokenPayload = { userId: user.id, projectId: project.id, roles, issuedAt: now, expiresAt, auditId: newAuditId(), methods };
    return { token: signToken(payload, await this.key()), payload, user, project, auditIds: [payload.auditId, ...(opts.parentAuditId ? [opts.parentAuditId] : [])] };
  }

  /**
   * What a token stands for now: its signature and expiry checked, not revoked, its user still
   * enabled, and its roles those the user still holds on the project (a role taken away is gone at once).
   */
  async validate(token: string): Promise<TokenGrant> {
    const payload = typeof token === 'string' ? readToken(token, await this.key()) : null;
    if (!payload) throw denied('The token is not valid.');
    if (payload.expiresAt <= this.clock.now().getTime()) throw denied('The token has expired.');
    const { identity, projects } = await this.repos();
    if (await identity.isRevoked([payload.auditId])) throw denied('The token has been revoked.');
    const user = await identity.userById(payload.userId);
    if (!user || !user.enabled) throw denied('The token is not valid.');
    const project = await projects.find(payload.projectId);
    if (!project || project.id !== payload.projectId || !project.enabled) throw denied('The token is not valid.');
    const held = impliedRoles(await identity.rolesOn(user.id, project.id));
    const roles = payload.roles.filter((r) => held.includes(r));
    if (!roles.length) throw denied('The token is not valid.');
    return { token, payload: { ...payload, roles }, user, project };
  }

  async revoke(token: string): Promise<void> {
    const g = await this.validate(token);
    const { identity } = await this.repos();
    await identity.revoke(g.payload.auditId, isoTime(new Date(g.payload.expiresAt)), isoTime(this.clock.now()));
  }

  async callerForToken(token: string): Promise<CallerInfo> {
    return callerOf(await this.validate(token));
  }

  /** HTTP Basic: a user's name and password, scoped to their first project. */
  async basicCaller(name: string, password: string): Promise<CallerInfo> {
    const id = createHmac('sha256', this.cacheKey).update(`${name}\u0000${password}`).digest('base64');
    const now = this.clock.now().getTime();
    const hit = this.basicCache.get(id);
    let user: User | null = null;
    if (hit && hit.until > now) {
      user = await (await this.repos()).identity.userById(hit.userId);
      if (!user || !user.enabled) throw denied('Invalid user name or password.');
    } else {
      user = await this.checkPassword({ name }, password);
      if (this.basicCache.size > 1000) this.basicCache.clear();
      this.basicCache.set(id, { userId: user.id, until: now + 60_000 });
    }
    const { project, roles } = await this.scope(user, null);
    return callerOf({ user, project, payload: { roles } as TokenPayload });
  }

  /** Forgets cached HTTP Basic successes (after a password change or a user's deletion). */
  forgetCredentials(): void { this.basicCache.clear(); }
}

function callerOf(g: Pick<TokenGrant, 'user' | 'project' | 'payload'>): CallerInfo {
  const roles = [...g.payload.roles];
  return { userId: g.user.id, userName: g.user.name, projectId: g.project.id, projectName: g.project.name, roles, isAdmin: roles.includes('admin') };
}
