/**
 * Who is calling. `keystone` (default): the X-Auth-Token a client got from /identity/v3 is
 * checked (signature, expiry) and names user, project and roles. `http_basic`: a user's name
 * and password on every request, scoped to their first project. `none`: one admin in the admin
 * project, token ignored (keystoneauth's NoAuth sends the literal `notused`); loopback only.
 */
import type { FastifyRequest } from 'fastify';
import type { Context } from '../context';
import { UnauthorizedError } from '../errors';
import type { Caller } from './types';

export type AuthMode = 'keystone' | 'none' | 'http_basic';

export interface Authenticator {
  readonly mode: AuthMode;
  authenticate(req: FastifyRequest): Promise<Caller>;
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function authenticator(ctx: Context, mode: AuthMode): Authenticator {
  let admin: Caller | null = null;
  return {
    mode,
    async authenticate(req) {
      if (mode === 'none') {
        if (!admin) {
          const p = await ctx.projects.resolve('admin');
          admin = { userId: 'admin', userName: 'admin', projectId: p.id, projectName: p.name, roles: ['admin', 'member', 'reader'], isAdmin: true };
        }
        return admin;
      }
      if (mode === 'http_basic') {
        const h = header(req, 'authorization');
        const m = h ? /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(h) : null;
        if (!m) throw new UnauthorizedError('The request you have made requires authentication (HTTP Basic).');
        const text = Buffer.from(m[1], 'base64').toString('utf8');
        const i = text.indexOf(':');
        if (i < 0) throw new UnauthorizedError('Malformed HTTP Basic credentials.');
        return ctx.identity.basicCaller(text.slice(0, i), text.slice(i + 1));
      }
      const token = header(req, 'x-auth-token');
      if (!token) throw new UnauthorizedError('The request you have made requires authentication.');
      return ctx.identity.callerForToken(token);
    },
  };
}
