/**
 * The cloud the server API suites share: fake hosts h1 and h2, flavors f1 (1 vCPU, 512 MB,
 * 1 GB) and f2 (2 vCPU, 1024 MB, 2 GB), a public image, and the standard callers (admin,
 * member and reader of p1, other in p2). `boot` creates a server through the API and waits for
 * the build the request left running.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { settled } from '../../src/lib/api/compute/server-common';
import { buildApp } from '../../src/lib/api/app';
import { Context } from '../../src/lib/context';
import { apiCloud, type ApiCloud, type ApiResponse } from '../helpers/api';
import { setupEnv } from '../helpers/cli';
import { fakeCallers, STANDARD_CALLERS } from '../helpers/fake-callers';

export interface ServerCloud {
  c: ApiCloud;
  ids: Record<string, string>;
  image: string;
  /** Calls as a caller (admin, member, reader, other) at a microversion. */
  as(token: string, method: string, url: string, opts?: { body?: unknown; mv?: string }): Promise<ApiResponse>;
  /** POST /servers as `token`, then waits for the build; returns the new server's id. */
  boot(token: string, name: string, extra?: Record<string, unknown>, mv?: string): Promise<string>;
  /** Waits for every task requests left running. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** apiCloud with a novalite.conf (INI text) in place before the Context reads its configuration. */
async function configuredCloud(steps: string[][], config: string): Promise<ApiCloud> {
  const env = await setupEnv(steps);
  const conf = path.join(env.XDG_CONFIG_HOME, 'novalite', 'novalite.conf');
  fs.mkdirSync(path.dirname(conf), { recursive: true });
  fs.writeFileSync(conf, config);
  const ctx = new Context({ env: { ...process.env, ...env } });
  const { app, routes } = await buildApp({ ctx, auth: 'keystone' });
  await app.ready();
  return {
    app, ctx, env, routes,
    async call(method, url, o = {}) {
      const headers: Record<string, string> = { accept: 'application/json', ...(o.headers ?? {}) };
      if (o.mv) { headers['openstack-api-version'] = `compute ${o.mv}`; headers['x-openstack-nova-api-version'] = o.mv; }
      if (o.token) headers['x-auth-token'] = o.token;
      const payload = o.raw ?? (o.body !== undefined ? JSON.stringify(o.body) : undefined);
      if (payload !== undefined) headers['content-type'] ??= 'application/json';
      const r = await app.inject({ method: method as 'GET', url, headers, payload });
      let body: any;
      try { body = r.body ? JSON.parse(r.body) : undefined; } catch { body = undefined; }
      return { status: r.statusCode, headers: r.headers as ApiResponse['headers'], body, text: r.body };
    },
    async close() { await app.close(); await ctx.close(); },
  };
}

export async function serverCloud(opts: { hostArgs?: string[]; steps?: string[][]; config?: string } = {}): Promise<ServerCloud> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nl-srv-'));
  const file = path.join(dir, 'cirros.img');
  fs.writeFileSync(file, 'not really a disk image\n');
  const host = (name: string) => ['host', 'add', name, '--driver', 'fake', '--vcpus', '8', '--memory-mb', '16384', '--disk-gb', '200', ...(opts.hostArgs ?? [])];
  const steps = [host('h1'), host('h2'), ['flavor', 'create', 'f1', '--vcpus', '1', '--ram', '512', '--disk', '1'],
    ['flavor', 'create', 'f2', '--vcpus', '2', '--ram', '1024', '--disk', '2'], ['image', 'create', 'cirros', '--file', file, '--public'], ...(opts.steps ?? [])];
  const c = opts.config ? await configuredCloud(steps, opts.config) : await apiCloud({ auth: 'keystone', steps });
  const ids = await fakeCallers(c, STANDARD_CALLERS);
  for (const p of [ids.p1, ids.p2, ids.admin]) await c.ctx.quotas.set({ projectId: p }, { instances: 100, cores: 200, ram: 204800 });
  const image = (await c.ctx.images.list({ name: 'cirros' }))[0].id;
  const as: ServerCloud['as'] = (token, method, url, o = {}) => c.call(method, url, { token, mv: o.mv, body: o.body });
  const settle = () => settled(c.ctx);
  return {
    c, ids, image, as, settle,
    async boot(token, name, extra = {}, mv = '2.1') {
      const r = await as(token, 'POST', '/v2.1/servers', { mv, body: { server: { name, imageRef: image, flavorRef: 'f1', ...(mvAtLeast(mv, '2.37') ? { networks: 'none' } : {}), ...extra } } });
      if (r.status !== 202) throw new Error(`boot ${name}: ${r.status} ${r.text}`);
      await settle();
      return r.body.server.id as string;
    },
    async close() {
      await settle();
      await c.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Compares microversions ('2.9' < '2.10'). */
export function mvAtLeast(mv: string, min: string): boolean {
  const [a, b] = [mv.split('.').map(Number), min.split('.').map(Number)];
  return a[0] - b[0] > 0 || (a[0] === b[0] && a[1] >= b[1]);
}
