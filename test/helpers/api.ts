/**
 * The REST API in-process for tests: a fresh isolated environment (real SQLite files, synced,
 * cells set up, optional CLI setup steps), a Context over it and the fastify app, driven with
 * `inject` (no port). `call` sends JSON with a microversion and returns status, headers, body.
 */
import type { FastifyInstance } from 'fastify';
import { setupEnv } from './cli';
import { Context } from '../../src/lib/context';
import { buildApp, type RegisteredRoute } from '../../src/lib/api/app';
import type { AuthMode } from '../../src/lib/api/auth';

export interface ApiResponse { status: number; headers: Record<string, string | string[] | undefined>; body: any; text: string }

export interface ApiCloud {
  app: FastifyInstance;
  ctx: Context;
  env: Record<string, string>;
  routes: RegisteredRoute[];
  call(method: string, url: string, opts?: { body?: unknown; mv?: string; token?: string; headers?: Record<string, string>; raw?: string }): Promise<ApiResponse>;
  close(): Promise<void>;
}

/** `steps` are CLI argv lists run first (e.g. host add, flavor create), each must exit 0. */
export async function apiCloud(opts: { auth?: AuthMode; steps?: string[][]; policyOverrides?: Record<string, string> } = {}): Promise<ApiCloud> {
  const env = await setupEnv(opts.steps ?? []);
  const ctx = new Context({ env: { ...process.env, ...env } });
  const { app, routes } = await buildApp({ ctx, auth: opts.auth ?? 'none', policyOverrides: opts.policyOverrides });
  await app.ready();
  return {
    app, ctx, env, routes,
    async call(method, url, o = {}) {
      const headers: Record<string, string> = { accept: 'application/json', ...(o.headers ?? {}) };
      if (o.mv) { headers['openstack-api-version'] = `compute ${o.mv}`; headers['x-openstack-nova-api-version'] = o.mv; }
      if (o.token) headers['x-auth-token'] = o.token;
      let payload: string | undefined;
      if (o.raw !== undefined) payload = o.raw;
      else if (o.body !== undefined) payload = JSON.stringify(o.body);
      if (payload !== undefined) headers['content-type'] ??= 'application/json';
      const r = await app.inject({ method: method as 'GET', url, headers, payload });
      let body: any;
      try { body = r.body ? JSON.parse(r.body) : undefined; } catch { body = undefined; }
      return { status: r.statusCode, headers: r.headers as ApiResponse['headers'], body, text: r.body };
    },
    async close() {
      await app.close();
      await ctx.close();
    },
  };
}
