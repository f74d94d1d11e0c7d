/**
 * The server lifecycle through the CLI on every engine (SQLite, PostgreSQL, MariaDB): each
 * action's vm_state, task_state and power_state, the instance-action log, quota usage, and the
 * archive of deleted servers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isolatedEnv, runCli } from '../helpers/cli';
import { createTestDatabase, testEngines, TestEngine } from '../helpers/engines';

jest.setTimeout(180000);

const states = (s: any) => [s.status, s['OS-EXT-STS:vm_state'], s['OS-EXT-STS:task_state'], s['OS-EXT-STS:power_state']];

describe.each(testEngines().map((e) => [e.name, e] as [string, TestEngine]))('server lifecycle on %s', (_n, engine) => {
  let env: Record<string, string>;
  const drops: Array<() => Promise<void>> = [];
  const cli = async (args: string[], code = 0) => {
    const r = await runCli([...args, '--json'], env);
    if (r.code !== code) throw new Error(`novalite ${args.join(' ')} exited ${r.code}, expected ${code}: ${r.stdout}${r.stderr}`);
    return r.json;
  };

  beforeAll(async () => {
    const dbs = await Promise.all(['api', 'cell1', 'cell0'].map((p) => createTestDatabase(engine, `life_${p}`)));
    drops.push(...dbs.map((d) => d.drop));
    env = isolatedEnv({ NOVALITE_API_DATABASE_CONNECTION: dbs[0].url, NOVALITE_DATABASE_CONNECTION: dbs[1].url });
    const img = path.join(env.HOME, 'tiny.img');
    fs.writeFileSync(img, Buffer.alloc(4096, 1));
    await cli(['api-db', 'sync']);
    await cli(['cell-v2', 'map-cell0', '--database-connection', dbs[2].url]);
    await cli(['db', 'sync']);
    await cli(['cell-v2', 'simple-cell-setup']);
    await cli(['host', 'add', 'h1', '--driver', 'fake', '--vcpus', '8', '--memory-mb', '8704', '--disk-gb', '100']);
    await cli(['host', 'add', 'h2', '--driver', 'fake', '--vcpus', '8', '--memory-mb', '8704', '--disk-gb', '100']);
    await cli(['flavor', 'create', 'small', '--vcpus', '2', '--ram', '2048', '--disk', '10']);
    await cli(['flavor', 'create', 'huge', '--vcpus', '4', '--ram', '16384', '--disk', '10']);
    await cli(['image', 'create', 'tiny', '--file', img, '--disk-format', 'raw']);
  });
  afterAll(async () => { for (const d of drops) await d().catch(() => undefined); });

  it('drives every power action with Nova\'s states and logs them', async () => {
    const created = await cli(['server', 'create', 'web1', '--flavor', 'small', '--image', 'tiny', '--property', 'role=web', '--wait']);
    const id = created.server.id;
    expect(states(created.server)).toEqual(['ACTIVE', 'active', null, 1]);
    expect(created.server.metadata).toEqual({ role: 'web' });
    const steps: Array<[string[], unknown[]]> = [
      [['server', 'stop', id], ['SHUTOFF', 'stopped', null, 4]],
      [['server', 'start', id], ['ACTIVE', 'active', null, 1]],
      [['server', 'reboot', id], ['ACTIVE', 'active', null, 1]],
      [['server', 'reboot', id, '--hard'], ['ACTIVE', 'active', null, 1]],
      [['server', 'pause', id], ['PAUSED', 'paused', null, 3]],
      [['server', 'unpause', id], ['ACTIVE', 'active', null, 1]],
      [['server', 'suspend', id], ['SUSPENDED', 'suspended', null, 7]],
      [['server', 'resume', id], ['ACTIVE', 'active', null, 1]],
    ];
    for (const [args, want] of steps) {
      const r = await cli(args);
      expect([args.join(' '), ...states(r.server)]).toEqual([args.join(' '), ...want]);
    }
    const wrong = await runCli(['server', 'start', id, '--json'], env);
    expect(wrong.code).toBe(4);
    expect(wrong.json.error.message).toMatch(/vm_state active.*needs stopped/);
    await cli(['server', 'lock', id, '--reason', 'maintenance']);
    expect((await runCli(['server', 'stop', id, '--json'], env)).code).toBe(4);
    await cli(['server', 'unlock', id]);
    const log = await cli(['server', 'console-log', id, '--lines', '1']);
    expect(log.output.split('\n').filter(Boolean)).toHaveLength(1);
    const events = await cli(['server', 'event', 'list', id]);
    expect(events.instanceActions.map((a: any) => a.action)).toEqual(expect.arrayContaining(['create', 'stop', 'start', 'reboot', 'pause', 'unpause', 'suspend', 'resume', 'lock', 'unlock']));
    const create = events.instanceActions.find((a: any) => a.action === 'create');
    const detail = await cli(['server', 'event', 'show', id, create.request_id]);
    expect(detail.instanceAction.events.map((e: any) => e.result)).not.toContain('Error');
    const q = await cli(['quota', 'show']);
    expect(q.quota_set.in_use).toMatchObject({ instances: 1, cores: 2, ram: 2048 });
    await cli(['server', 'delete', id, '--wait']);
    expect((await cli(['server', 'list'])).servers).toEqual([]);
    const q2 = await cli(['quota', 'show']);
    expect(q2.quota_set.in_use).toMatchObject({ instances: 0, cores: 0, ram: 0 });
    const hosts = (await cli(['host', 'list'])).hosts;
    expect(hosts.map((h: any) => h.vcpus_used)).toEqual([0, 0]);
  });

  it('puts an unschedulable server in ERROR with the explanation, and --wait exits 5', async () => {
    const r = await runCli(['server', 'create', 'big1', '--flavor', 'huge', '--image', 'tiny', '--wait', '--json'], env);
    expect(r.code).toBe(5);
    const show = await cli(['server', 'show', 'big1']);
    expect(show.server.status).toBe('ERROR');
    expect(show.server.fault.message).toMatch(/Ram|RAM/);
    await cli(['server', 'delete', 'big1']);
  });

  it('archives deleted servers and purges them', async () => {
    const a = await cli(['db', 'archive-deleted-rows', '--until-complete', '--all-cells']);
    const moved = a.cells.reduce((n: number, c: any) => n + (c.tables.instances ?? 0), 0);
    expect(moved).toBeGreaterThanOrEqual(2);
    const p = await cli(['db', 'purge', '--all-cells']);
    expect(Object.keys(p.purged).length).toBeGreaterThan(0);
  });
});
