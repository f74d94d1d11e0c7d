/**
 * `/identity/v3/auth/tokens`: POST issues a token (password or token method, scoped to a
 * project by id or by name in the default domain; unscoped requests land in the user's first
 * project): 201 with X-Subject-Token. GET validates X-Subject-Token (200, or 404 when it is not
 * valid), DELETE revokes it (204). Only the token's own user or an admin may look at a token.
 */
import type { FastifyRequest } from 'fastify';
import { InvalidInputError, UnauthorizedError } from '../../errors';
import type { ProjectScope, TokenGrant, UserRef } from '../../services/identity';
import type { ApiDeps, RouteDef } from '../types';
import { keystoneError, keystoneErrors } from './errors';
import { tokenBody } from './token-body';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function domainOf(v: unknown): { id?: string; name?: string } | undefined {
  return isObj(v) ? { id: str(v.id), name: str(v.name) } : undefined;
}

/** The parts of an auth request we act on; 400 when its shape is wrong. */
export function parseAuth(body: unknown, headerToken: string | undefined): { method: 'password' | 'token'; user?: UserRef; password?: string; token?: string; scope: ProjectScope | undefined } {
  const bad = (m: string) => new InvalidInputError(m, { code: 'INVALID_AUTH_REQUEST' });
  if (!isObj(body) || !isObj(body.auth)) throw bad('Expecting to find auth in the request body.');
  const { identity, scope } = body.auth;
  if (!isObj(identity) || !Array.isArray(identity.methods) || !identity.methods.length) throw bad('Expecting to find identity.methods in auth.');
  let parsedScope: ProjectScope | undefined;
  if (scope === undefined || scope === 'unscoped') parsedScope = undefined;
  else if (isObj(scope) && isObj(scope.project)) parsedScope = { id: str(scope.project.id), name: str(scope.project.name), domain: domainOf(scope.project.domain) };
  else if (isObj(scope) && (scope.domain !== undefined || scope.system !== undefined || scope['OS-TRUST:trust'] !== undefined)) {
    throw new UnauthorizedError('Only project-scoped tokens are supported here: scope to a project.');
  } else throw bad('Expecting a project in scope.');
  if (parsedScope && !parsedScope.id && !parsedScope.name) throw bad('Expecting the project id or name in scope.project.');
  if (identity.methods.includes('password')) {
    const p = identity.password;
    if (!isObj(p) || !isObj(p.user)) throw bad('Expecting to find password.user in identity.');
    const u = p.user;
    if (!str(u.id) && !str(u.name)) throw bad('Expecting the user id or name in password.user.');
    if (typeof u.password !== 'string') throw bad('Expecting to find password.user.password.');
    return { method: 'password', user: { id: str(u.id), name: str(u.name), domain: domainOf(u.domain) }, password: u.password, scope: parsedScope };
  }
  if (identity.methods.includes('token')) {
    const t = isObj(identity.token) ? str(identity.token.id) : undefined;
    if (!t && !headerToken) throw bad('Expecting to find token.id in identity.');
    return { method: 'token', token: t ?? headerToken, scope: parsedScope };
  }
  throw new UnauthorizedError('Attempted to authenticate with an unsupported method.');
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function tokenRoutes(deps: ApiDeps): RouteDef[] {
  const { ctx } = deps;
  const withCatalog = (req: FastifyRequest) => (req.query as Obj | undefined)?.nocatalog === undefined;

  /** The subject token of a GET or DELETE, when the caller may see it; null when it is not valid. */
  async function subject(req: FastifyRequest): Promise<TokenGrant | null> {
    const t = header(req, 'x-subject-token');
    if (!t) throw new InvalidInputError('Expecting the X-Subject-Token header.');
    let g: TokenGrant;
    try { g = await ctx.identity.validateToken(t); } catch { return null; }
    deps.policy.enforce(req.method === 'DELETE' ? 'identity:revoke_token' : 'identity:validate_token', req.caller, { userId: g.user.id, projectId: g.project.id });
    return g;
  }

  return [
    {
      method: 'POST', url: '/v3/auth/tokens', policy: null, status: 201, summary: 'Authenticate (password or token) and get a project-scoped token in X-Subject-Token.',
      handler: keystoneErrors(deps.baseUrl, async (req, reply) => {
        const a = parseAuth(req.body, header(req, 'x-auth-token'));
        let grant;
        if (a.method === 'password') {
          const user = await ctx.identity.checkPassword(a.user!, a.password!);
          grant = await ctx.identity.issueToken(user, a.scope ?? null, ['password']);
        } else {
          const from = await ctx.identity.validateToken(a.token!);
          const scope = a.scope ?? { id: from.project.id };
          grant = await ctx.identity.issueToken(from.user, scope, ['token'], { expiresAt: from.payload.expiresAt, parentAuditId: from.payload.auditId });
        }
        reply.header('X-Subject-Token', grant.token);
        return tokenBody(grant, deps.baseUrl(req), withCatalog(req));
      }),
    },
    {
      method: 'GET', url: '/v3/auth/tokens', policy: 'identity:validate_token', summary: 'Validate the token in X-Subject-Token (404 when it is not valid).',
      handler: keystoneErrors(deps.baseUrl, async (req, reply) => {
        const g = await subject(req);
        if (!g) { keystoneError(reply, 404, 'Could not find token.'); return undefined; }
        reply.header('X-Subject-Token', g.token);
        return tokenBody({ ...g, auditIds: [g.payload.auditId] }, deps.baseUrl(req), withCatalog(req));
      }),
    },
    {
      method: 'DELETE', url: '/v3/auth/tokens', policy: 'identity:revoke_token', status: 204, summary: 'Revoke the token in X-Subject-Token.',
      handler: keystoneErrors(deps.baseUrl, async (req, reply) => {
        const g = await subject(req);
        if (!g) { keystoneError(reply, 404, 'Could not find token.'); return undefined; }
        await ctx.identity.revokeToken(g.token);
        return undefined;
      }),
    },
  ];
}

export const TOKEN_RULES: Record<string, string> = {
  'identity:validate_token': 'rule:admin_api or user_id:%(user_id)s',
  'identity:revoke_token': 'rule:admin_api or user_id:%(user_id)s',
};
