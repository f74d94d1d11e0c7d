/**
 * An in-process API for identity tests: like apiCloud, but with an injectable clock and config
 * file, the API database synced by the source tree (so a migration newer than dist/ is there),
 * and helpers to create users and get tokens.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { setupEnv } from './cli';
import type { ApiResponse } from './api';
import { Context } from '../../src/lib/context';
import { buildApp } from '../../src/lib/api/app';
import type { AuthMode } from '../../src/lib/api/auth';
import type { Clock } from '../../src/lib/clock';

export interface IdentityCloud {
  app: FastifyInstance;
  ctx: Context;
  env: Record<string, string>;
  call(method: string, url: string, opts?: { body?: unknown; token?: string; headers?: Record<string, string> }): Promise<ApiResponse>;
  /** POST /identity/v3/auth/tokens with the password method; returns the response and its token. */
  login(user: string, password: string, project?: { name?: string; id?: string } | null, domain?: Record<string, string>): Promise<ApiResponse & { token: string }>;
  user(name: string, password: string, project?: string, role?: string): Promise<string>;
  close(): Promise<void>;
}

export async function identityCloud(o: { auth?: AuthMode; clock?: Clock; config?: string; policyOverrides?: Record<string, string> } = {}): Promise<IdentityCloud> {
  const env = await setupEnv([]);
  const extra: Record<string, string> = {};
  if (o.config !== undefined) {
    extra.NOVALITE_CONFIG_FILE = path.join(env.HOME, 'identity-test.conf');
    fs.writeFileSync(extra.NOVALITE_CONFIG_FILE, o.config);
  }
  const ctx = new Context({ env: { ...process.env, ...env, ...extra }, clock: o.clock });
  await ctx.stores.sync(ctx.stores.apiDb(), 'api');
  const { app } = await buildApp({ ctx, auth: o.auth ?? 'keystone', policyOverrides: o.policyOverrides });
  await app.ready();
  const call: IdentityCloud['call'] = async (method, url, c = {}) => {
    const headers: Record<string, string> = { accept: 'application/json', ...(c.headers ?? {}) };
    if (c.token) headers['x-auth-token'] = c.token;
    const payload = c.body === undefined ? undefined : JSON.stringify(c.body);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const r = await app.inject({ method: method as 'GET', url, headers, payload });
    let body: any;
    try { body = r.body ? JSON.parse(r.body) : undefined; } catch { body = undefined; }
    return { status: r.statusCode, headers: r.headers as ApiResponse['headers'], body, text: r.body };
  };
  return {
    app, ctx, env, call,
    async login(user, password, project = { name: 'admin' }, domain = { name: 'Default' }) {
      const scope = project ? { project: { ...project, ...(project.name ? { domain: { name: 'Default' } } : {}) } } : undefined;
      const r = await call('POST', '/identity/v3/auth/tokens', {
        body: { auth: { identity: { methods: ['password'], password: { user: { name: user, domain, password } } }, ...(scope ? { scope } : {}) } },
      });
      return { ...r, token: String(r.headers['x-subject-token'] ?? '') };
    },
    async user(name, password, project, role) {
      return (await ctx.identity.createUser({ name, password, project, role })).user.id;
    },
    async close() {
      await app.close();
      await ctx.close();
    },
  };
}
