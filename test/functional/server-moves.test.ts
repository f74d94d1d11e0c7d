/**
 * Moving servers through the CLI on every engine (SQLite, PostgreSQL, MariaDB): resize with
 * revert and confirm, cold and live migration, evacuation from a host that is down, a driver
 * failure — with the states, host, flavor, both hosts' usage, quota usage, migration records and
 * instance-action log after each step. Then (SQLite) a CLI killed in the middle of a migration:
 * the next command after the lease expires finishes it or puts the server back on its source.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BIN, isolatedEnv, runCli } from '../helpers/cli';
import { createTestDatabase, testEngines, TestEngine } from '../helpers/engines';
import { Context } from '../../src/lib/context';

jest.setTimeout(240000);

type Json = Record<string, any>;
const states = (s: Json) => [s.status, s['OS-EXT-STS:vm_state'], s['OS-EXT-STS:task_state'], s['OS-EXT-STS:power_state']];
const where = (s: Json) => [s['OS-EXT-SRV-ATTR:host'], s.flavor.original_name];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withContext<T>(env: Record<string, string>, fn: (ctx: Context) => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const ctx = new Context();
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
    for (const k of Object.keys(env)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

function helpers(getEnv: () => Record<string, string>) {
  const cli = async (args: string[], code = 0) => {
    const r = await runCli([...args, '--json'], getEnv());
    if (r.code !== code) throw new Error(`novalite ${args.join(' ')} exited ${r.code}, expected ${code}: ${r.stdout}${r.stderr}`);
    return r.json;
  };
  return {
    cli,
    show: async (s: string) => (await cli(['server', 'show', s])).server,
    usage: async () => Object.fromEntries((await cli(['host', 'list'])).hosts.map((h: Json) => [h.name, [h.vcpus_used, h.memory_mb_used, h.running_vms]])),
    quota: async () => { const q = (await cli(['quota', 'show'])).quota_set.in_use; return [q.instances, q.cores, q.ram]; },
    migration: async (s: string) => (await cli(['migration', 'list', '--server', s])).migrations[0],
    forceDown: (host: string, down: boolean) => withContext(getEnv(), async (ctx) => {
      const k = ctx.stores.cellDb(ctx.stores.mainCellUrl()).knex;
      await k('services').where({ host }).update({ forced_down: down });
      await k('compute_nodes').where({ host }).update({ updated_at: new Date().toISOString() });
    }),
  };
}

const HOST = ['--driver', 'fake', '--vcpus', '8', '--memory-mb', '8704', '--disk-gb', '100'];

describe.each(testEngines().map((e) => [e.name, e] as [string, TestEngine]))('server moves on %s', (_n, engine) => {
  let env: Record<string, string>;
  const drops: Array<() => Promise<void>> = [];
  const { cli, show, usage, quota, migration, forceDown } = helpers(() => env);

  beforeAll(async () => {
    const dbs = await Promise.all(['api', 'cell1', 'cell0'].map((p) => createTestDatabase(engine, `moves_${p}`)));
    drops.push(...dbs.map((d) => d.drop));
    env = isolatedEnv({ NOVALITE_API_DATABASE_CONNECTION: dbs[0].url, NOVALITE_DATABASE_CONNECTION: dbs[1].url });
    await cli(['api-db', 'sync']);
    await cli(['cell-v2', 'map-cell0', '--database-connection', dbs[2].url]);
    await cli(['db', 'sync']);
    await cli(['cell-v2', 'simple-cell-setup']);
    await cli(['host', 'add', 'h1', ...HOST]);
    await cli(['host', 'add', 'h2', ...HOST]);
    await cli(['flavor', 'create', 'small', '--vcpus', '2', '--ram', '2048', '--disk', '20']);
    await cli(['flavor', 'create', 'medium', '--vcpus', '4', '--ram', '4096', '--disk', '20']);
    await cli(['flavor', 'create', 'huge', '--vcpus', '4', '--ram', '16384', '--disk', '20']);
  });
  afterAll(async () => { for (const d of drops) await d().catch(() => undefined); });

  it('resize, revert, confirm, migrate, live-migrate, evacuate, a failing host: states, usage, quota and records after each step', async () => {
    const id = (await cli(['server', 'create', 'web', '--flavor', 'small', '--host', 'h1', '--wait'])).server.id;
    expect(await usage()).toEqual({ h1: [2, 2048, 1], h2: [0, 0, 0] });

    // resize → VERIFY_RESIZE on h2; both hosts hold an allocation until confirm or revert
    let s = (await cli(['server', 'resize', 'web', '--flavor', 'medium', '--wait'])).server;
    expect([...states(s), ...where(s)]).toEqual(['VERIFY_RESIZE', 'resized', null, 1, 'h2', 'medium']);
    expect(await usage()).toEqual({ h1: [2, 2048, 1], h2: [4, 4096, 1] });
    expect(await quota()).toEqual([1, 4, 4096]);
    expect(await migration('web')).toMatchObject({ migration_type: 'resize', status: 'finished', source_compute: 'h1', dest_compute: 'h2' });
    expect((await runCli(['server', 'live-migrate', 'web', '--json'], env)).code).toBe(4);

    s = (await cli(['server', 'resize', 'revert', 'web'])).server;
    expect([...states(s), ...where(s)]).toEqual(['ACTIVE', 'active', null, 1, 'h1', 'small']);
    expect(await usage()).toEqual({ h1: [2, 2048, 1], h2: [0, 0, 0] });
    expect(await quota()).toEqual([1, 2, 2048]);
    expect((await migration('web')).status).toBe('reverted');

    await cli(['server', 'resize', 'web', '--flavor', 'medium']);
    s = (await cli(['server', 'resize', 'confirm', 'web', '--wait'])).server;
    expect([...states(s), ...where(s)]).toEqual(['ACTIVE', 'active', null, 1, 'h2', 'medium']);
    expect(await usage()).toEqual({ h1: [0, 0, 0], h2: [4, 4096, 1] });
    expect(await quota()).toEqual([1, 4, 4096]);
    expect((await migration('web')).status).toBe('confirmed');

    // refusals leave everything as it was
    expect((await runCli(['server', 'resize', 'web', '--flavor', 'medium', '--json'], env)).code).toBe(2);
    expect((await runCli(['server', 'resize', 'web', '--flavor', 'nope', '--json'], env)).code).toBe(3);
    expect((await runCli(['server', 'resize', 'web', '--flavor', 'huge', '--json'], env)).code).toBe(5);
    expect((await runCli(['server', 'resize', 'confirm', 'web', '--json'], env)).code).toBe(4);
    expect(await usage()).toEqual({ h1: [0, 0, 0], h2: [4, 4096, 1] });
    expect(await quota()).toEqual([1, 4, 4096]);

    // cold migration: same flavor, no quota change
    s = (await cli(['server', 'migrate', 'web'])).server;
    expect([...states(s), ...where(s)]).toEqual(['VERIFY_RESIZE', 'resized', null, 1, 'h1', 'medium']);
    expect(await usage()).toEqual({ h1: [4, 4096, 1], h2: [4, 4096, 1] });
    s = (await cli(['server', 'resize', 'confirm', 'web'])).server;
    expect([...states(s), ...where(s)]).toEqual(['ACTIVE', 'active', null, 1, 'h1', 'medium']);
    expect(await usage()).toEqual({ h1: [4, 4096, 1], h2: [0, 0, 0] });
    expect(await migration('web')).toMatchObject({ migration_type: 'migration', status: 'confirmed', source_compute: 'h2', dest_compute: 'h1' });

    // live migration
    s = (await cli(['server', 'live-migrate', 'web', '--host', 'h2', '--wait'])).server;
    expect([...states(s), ...where(s)]).toEqual(['ACTIVE', 'active', null, 1, 'h2', 'medium']);
    expect(await usage()).toEqual({ h1: [0, 0, 0], h2: [4, 4096, 1] });
    expect(await migration('web')).toMatchObject({ migration_type: 'live-migration', status: 'completed', source_compute: 'h1', dest_compute: 'h2' });

    // evacuation: only from a host that is down
    expect((await runCli(['server', 'evacuate', 'web', '--json'], env)).code).toBe(4);
    await forceDown('h2', true);
    s = (await cli(['server', 'evacuate', 'web', '--yes'])).server;
    expect([...states(s), ...where(s)]).toEqual(['ACTIVE', 'active', null, 1, 'h1', 'medium']);
    expect(await usage()).toEqual({ h1: [4, 4096, 1], h2: [0, 0, 0] });
    expect(await migration('web')).toMatchObject({ migration_type: 'evacuation', status: 'done', source_compute: 'h2', dest_compute: 'h1' });
    await forceDown('h2', false);
    expect((await migration('web')).status).toBe('completed');

    // a destination whose driver fails: the server stays on its source, nothing leaks
    await cli(['host', 'add', 'h3', ...HOST, '--fake-fail', 'migrate']);
    const failed = await runCli(['server', 'migrate', 'web', '--host', 'h3', '--json'], env);
    expect([failed.code, failed.json.error.code]).toEqual([6, 'FAKE_INJECTED_FAILURE']);
    s = await show('web');
    expect([...states(s), ...where(s)]).toEqual(['ACTIVE', 'active', null, 1, 'h1', 'medium']);
    expect(await usage()).toEqual({ h1: [4, 4096, 1], h2: [0, 0, 0], h3: [0, 0, 0] });
    expect(await migration('web')).toMatchObject({ status: 'error', dest_compute: 'h3' });

    const actions = (await cli(['server', 'event', 'list', id])).instanceActions.map((a: Json) => a.action);
    expect(actions).toEqual(['migrate', 'evacuate', 'live-migration', 'confirmResize', 'migrate', 'resize', 'confirmResize', 'resize', 'revertResize', 'resize', 'create']);
    await cli(['server', 'delete', 'web', '--wait']);
    expect(await usage()).toEqual({ h1: [0, 0, 0], h2: [0, 0, 0], h3: [0, 0, 0] });
    expect(await quota()).toEqual([0, 0, 0]);
  });
});

describe('SIGKILL during a migration', () => {
  let env: Record<string, string>;
  const { cli, show, usage, migration, forceDown } = helpers(() => env);

  beforeAll(async () => {
    env = isolatedEnv();
    env.NOVALITE_CONFIG_FILE = path.join(env.HOME, 'novalite.conf');
    fs.writeFileSync(env.NOVALITE_CONFIG_FILE, '[conductor]\ntask_lease_seconds = 2\n');
    for (const a of [['api-db', 'sync'], ['db', 'sync'], ['cell-v2', 'simple-cell-setup'], ['host', 'add', 'h1', ...HOST],
      ['flavor', 'create', 'small', '--vcpus', '2', '--ram', '2048', '--disk', '20']]) await cli(a);
    // A host where spawning, each half of a cold migration and a live migration take 4 s (the CLI has no flag for all of it).
    await withContext(env, (ctx) => ctx.hosts.add({ name: 'slow', driver: 'fake', vcpus: 8, memoryMb: 8704, diskGb: 100, driverConfig: { opSeconds: { migrate: 4, live_migrate: 4 }, spawnSeconds: 4 } }));
  });

  /** Starts `novalite <args>` and kills it with SIGKILL once `server` reaches `taskState`. */
  async function killDuring(args: string[], server: string, taskState: string): Promise<void> {
    const child = spawn(process.execPath, [BIN, ...args, '--json'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    let seen = false;
    for (let i = 0; i < 100 && !seen; i++) {
      await sleep(100);
      seen = (await show(server))['OS-EXT-STS:task_state'] === taskState;
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(seen).toBe(true);
    await sleep(2500); // the lease runs out
  }

  it('killed while the destination finishes: the next command finishes the migration', async () => {
    await cli(['server', 'create', 'a', '--flavor', 'small', '--host', 'h1', '--wait']);
    await killDuring(['server', 'migrate', 'a', '--host', 'slow'], 'a', 'resize_finish');
    const s = await show('a');
    expect([...states(s), ...where(s)]).toEqual(['VERIFY_RESIZE', 'resized', null, 1, 'slow', 'small']);
    expect(await usage()).toEqual({ h1: [2, 2048, 1], slow: [2, 2048, 1] });
    expect((await migration('a')).status).toBe('finished');
    await cli(['server', 'resize', 'confirm', 'a']);
    expect(await usage()).toEqual({ h1: [0, 0, 0], slow: [2, 2048, 1] });
  });

  it('killed while the source copies its disks: the next command puts the server back on its source', async () => {
    await killDuring(['server', 'migrate', 'a', '--host', 'h1'], 'a', 'resize_migrating');
    const s = await show('a');
    expect([...states(s), ...where(s)]).toEqual(['ACTIVE', 'active', null, 1, 'slow', 'small']);
    expect(await usage()).toEqual({ h1: [0, 0, 0], slow: [2, 2048, 1] });
    expect((await migration('a')).status).toBe('error');
    const last = (await cli(['server', 'event', 'list', 'a'])).instanceActions[0];
    expect(last).toMatchObject({ action: 'migrate', message: expect.stringMatching(/interrupted/) });
  });

  it('killed during a live migration: the server keeps running on its source, the destination claim is released', async () => {
    await killDuring(['server', 'live-migrate', 'a', '--host', 'h1'], 'a', 'migrating');
    const s = await show('a');
    expect([...states(s), ...where(s)]).toEqual(['ACTIVE', 'active', null, 1, 'slow', 'small']);
    expect(await usage()).toEqual({ h1: [0, 0, 0], slow: [2, 2048, 1] });
    expect(await migration('a')).toMatchObject({ migration_type: 'live-migration', status: 'error' });
    await cli(['server', 'delete', 'a', '--wait']);
    expect(await usage()).toEqual({ h1: [0, 0, 0], slow: [0, 0, 0] });
  });

  it('killed during a revert: the next command finishes the revert', async () => {
    await cli(['server', 'create', 'r', '--flavor', 'small', '--host', 'slow', '--wait']);
    await cli(['server', 'migrate', 'r', '--host', 'h1']);
    await killDuring(['server', 'resize', 'revert', 'r'], 'r', 'resize_reverting');
    const s = await show('r');
    expect([...states(s), ...where(s)]).toEqual(['ACTIVE', 'active', null, 1, 'slow', 'small']);
    expect(await usage()).toEqual({ h1: [0, 0, 0], slow: [2, 2048, 1] });
    expect((await migration('r')).status).toBe('reverted');
    await cli(['server', 'delete', 'r', '--wait']);
  });

  it('killed while an evacuated server spawns on its new host: the next command finishes the evacuation', async () => {
    await cli(['server', 'create', 'c', '--flavor', 'small', '--host', 'h1', '--wait']);
    await forceDown('h1', true);
    await killDuring(['server', 'evacuate', 'c', '--host', 'slow', '--yes'], 'c', 'rebuild_spawning');
    const s = await show('c');
    expect([...states(s), ...where(s)]).toEqual(['ACTIVE', 'active', null, 1, 'slow', 'small']);
    expect(await usage()).toEqual({ h1: [0, 0, 0], slow: [2, 2048, 1] });
    expect(await migration('c')).toMatchObject({ migration_type: 'evacuation', status: 'done' });
    await forceDown('h1', false);
    expect((await migration('c')).status).toBe('completed');
    await cli(['server', 'delete', 'c', '--wait']);
    expect(await usage()).toEqual({ h1: [0, 0, 0], slow: [0, 0, 0] });
  });
});
