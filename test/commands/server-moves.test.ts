/**
 * The move commands: server resize (confirm, revert, auto-confirm, same host), migrate,
 * live-migrate, evacuate, and migration list — the states after each step, the host, the
 * flavor, both hosts' usage, quota usage and the migration records; the refusals and their exit
 * codes; driver failures leaving the server where it was; nothing leaked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isolatedEnv, runCli } from '../helpers/cli';
import { Context } from '../../src/lib/context';

jest.setTimeout(180000);

type Json = Record<string, any>;
const states = (s: Json) => [s.status, s['OS-EXT-STS:vm_state'], s['OS-EXT-STS:task_state'], s['OS-EXT-STS:power_state']];

/** Runs `fn` with a Context on `env` (for what the CLI cannot do: force a host down). */
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

/** `openstack compute service set --down`: novalite has no command for it yet. */
async function forceDown(env: Record<string, string>, host: string, down: boolean): Promise<void> {
  await withContext(env, async (ctx) => {
    const k = ctx.stores.cellDb(ctx.stores.mainCellUrl()).knex;
    await k('services').where({ host }).update({ forced_down: down });
    await k('compute_nodes').where({ host }).update({ updated_at: new Date().toISOString() });
  });
}

function tools(getEnv: () => Record<string, string>) {
  const run = (...argv: string[]) => runCli([...argv, '--json'], getEnv());
  const ok = async (...argv: string[]) => {
    const r = await run(...argv);
    if (r.code !== 0) throw new Error(`novalite ${argv.join(' ')} exited ${r.code}: ${r.stdout}${r.stderr}`);
    return r.json;
  };
  const show = async (name: string) => (await ok('server', 'show', name)).server;
  const usage = async () => Object.fromEntries((await ok('host', 'list')).hosts.map((h: Json) => [h.name, [h.vcpus_used, h.memory_mb_used, h.running_vms]]));
  const quota = async () => { const q = (await ok('quota', 'show')).quota_set.in_use; return [q.instances, q.cores, q.ram]; };
  const migrations = async (server: string) => (await ok('migration', 'list', '--server', server)).migrations;
  const fakeHost = (host: string) => {
    const file = path.join(getEnv().XDG_DATA_HOME, 'novalite', 'fake-hosts', `${host}.json`);
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).instances as Record<string, Json> : {};
  };
  return { run, ok, show, usage, quota, migrations, fakeHost };
}

async function cloud(conf?: string, hosts = ['h1', 'h2']): Promise<Record<string, string>> {
  const env = isolatedEnv();
  if (conf) {
    env.NOVALITE_CONFIG_FILE = path.join(env.HOME, 'novalite.conf');
    fs.writeFileSync(env.NOVALITE_CONFIG_FILE, conf);
  }
  const steps = [['api-db', 'sync'], ['db', 'sync'], ['cell-v2', 'simple-cell-setup'],
    ...hosts.map((h) => ['host', 'add', h, '--driver', 'fake', '--vcpus', '8', '--memory-mb', '8704', '--disk-gb', '100']),
    ['flavor', 'create', 'small', '--vcpus', '2', '--ram', '2048', '--disk', '20'],
    ['flavor', 'create', 'medium', '--vcpus', '4', '--ram', '4096', '--disk', '20'],
    ['flavor', 'create', 'lean', '--vcpus', '1', '--ram', '1024', '--disk', '20'],
    ['flavor', 'create', 'huge', '--vcpus', '4', '--ram', '16384', '--disk', '20'],
    ['flavor', 'create', 'thin', '--vcpus', '2', '--ram', '2048', '--disk', '5']];
  for (const argv of steps) {
    const r = await runCli(argv, env);
    if (r.code !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  }
  return env;
}

describe('server resize, migrate, live-migrate, evacuate', () => {
  let env: Record<string, string>;
  const t = tools(() => env);
  let id: string;
  let home: string;
  let other: string;

  beforeAll(async () => {
    env = await cloud();
    const s = (await t.ok('server', 'create', 'web', '--flavor', 'small', '--wait')).server;
    id = s.id;
    home = s['OS-EXT-SRV-ATTR:host'];
    other = home === 'h1' ? 'h2' : 'h1';
  });

  it('resize → VERIFY_RESIZE on the other host with the new flavor; both hosts hold an allocation; growth is in the quota', async () => {
    const r = await t.ok('server', 'resize', 'web', '--flavor', 'medium', '--wait');
    expect(states(r.server)).toEqual(['VERIFY_RESIZE', 'resized', null, 1]);
    expect(r.server['OS-EXT-SRV-ATTR:host']).toBe(other);
    expect(r.server.flavor).toMatchObject({ original_name: 'medium', vcpus: 4, ram: 4096, disk: 20 });
    expect(await t.usage()).toEqual({ [home]: [2, 2048, 1], [other]: [4, 4096, 1] });
    expect(await t.quota()).toEqual([1, 4, 4096]);
    const [m] = await t.migrations('web');
    expect(m).toMatchObject({ instance_uuid: id, migration_type: 'resize', status: 'finished', source_compute: home, dest_compute: other, source_node: home, dest_node: other });
    expect(typeof m.old_instance_type_id).toBe('number');
    expect(m.new_instance_type_id).not.toBe(m.old_instance_type_id);
    expect(m.uuid).toMatch(/^[0-9a-f-]{36}$/);
    // The source keeps its (stopped) copy until the resize is confirmed.
    expect(t.fakeHost(home)[id]).toMatchObject({ powerState: 4 });
    expect(t.fakeHost(other)[id]).toMatchObject({ powerState: 1, flavor: { name: 'medium' } });
    const ev = (await t.ok('server', 'event', 'list', 'web')).instanceActions[0];
    expect(ev.action).toBe('resize');
    const detail = (await t.ok('server', 'event', 'show', 'web', ev.request_id)).instanceAction;
    expect(detail.events.map((e: Json) => [e.event, e.result])).toEqual([
      ['conductor_migrate_server', 'Success'], ['compute_resize_instance', 'Success'], ['compute_finish_resize', 'Success']]);
  });

  it('a server in VERIFY_RESIZE refuses other moves with exit 4 naming its state', async () => {
    for (const argv of [['server', 'resize', 'web', '--flavor', 'lean'], ['server', 'migrate', 'web'], ['server', 'live-migrate', 'web'], ['server', 'stop', 'web']]) {
      const r = await t.run(...argv);
      expect([argv.join(' '), r.code]).toEqual([argv.join(' '), 4]);
      expect(r.json.error.code).toBe('INVALID_STATE');
      expect(r.json.error.message).toMatch(/resized/);
    }
  });

  it('revert → ACTIVE on the source with the old flavor; the destination is empty again; the quota back', async () => {
    const r = await t.ok('server', 'resize', 'revert', 'web', '--wait');
    expect(states(r.server)).toEqual(['ACTIVE', 'active', null, 1]);
    expect(r.server['OS-EXT-SRV-ATTR:host']).toBe(home);
    expect(r.server.flavor.original_name).toBe('small');
    expect(await t.usage()).toEqual({ [home]: [2, 2048, 1], [other]: [0, 0, 0] });
    expect(await t.quota()).toEqual([1, 2, 2048]);
    expect((await t.migrations('web'))[0].status).toBe('reverted');
    expect(t.fakeHost(other)[id]).toBeUndefined();
    expect(t.fakeHost(home)[id]).toMatchObject({ powerState: 1, flavor: { name: 'small' }, migration: null });
    const actions = (await t.ok('server', 'event', 'list', 'web')).instanceActions.map((a: Json) => a.action);
    expect(actions.slice(0, 2)).toEqual(['revertResize', 'resize']);
  });

  it('confirm and revert need a server in VERIFY_RESIZE (exit 4)', async () => {
    expect((await t.run('server', 'resize', 'confirm', 'web')).code).toBe(4);
    expect((await t.run('server', 'resize', 'revert', 'web')).code).toBe(4);
    expect((await t.run('server', 'resize', 'confirm', 'nope')).code).toBe(3);
  });

  it('resize then confirm → ACTIVE on the destination; the source is cleaned and its allocation freed', async () => {
    const human = await runCli(['server', 'resize', 'web', '--flavor', 'medium'], env);
    expect(human.stdout).toMatch(/^Resized server web \(.*\) to medium on h\d; confirm or revert it\. Status: VERIFY_RESIZE\.\n/);
    expect(human.stdout).toMatch(/OS-EXT-STS:vm_state\s+resized/);
    const r = await t.ok('server', 'resize', 'confirm', 'web', '--wait');
    expect(states(r.server)).toEqual(['ACTIVE', 'active', null, 1]);
    expect(r.server['OS-EXT-SRV-ATTR:host']).toBe(other);
    expect(r.server.flavor.original_name).toBe('medium');
    expect(await t.usage()).toEqual({ [home]: [0, 0, 0], [other]: [4, 4096, 1] });
    expect(await t.quota()).toEqual([1, 4, 4096]);
    expect((await t.migrations('web')).map((m: Json) => m.status)).toEqual(['confirmed', 'reverted']);
    expect(t.fakeHost(home)[id]).toBeUndefined();
  });

  it('refusals: same flavor (2), smaller disk (2), unknown flavor (3), no valid host (5), over quota (5), locked (4) — each changes nothing', async () => {
    const before = [states(await t.show('web')), await t.usage(), await t.quota()];
    const same = await t.run('server', 'resize', 'web', '--flavor', 'medium');
    expect([same.code, same.json.error.code]).toEqual([2, 'SAME_FLAVOR']);
    expect((await t.run('server', 'resize', 'web', '--flavor', 'thin')).json.error.code).toBe('RESIZE_DISK_DOWN');
    expect((await t.run('server', 'resize', 'web', '--flavor', 'nope')).code).toBe(3);
    expect((await t.run('server', 'resize', 'web')).code).toBe(2);
    const nvh = await t.run('server', 'resize', 'web', '--flavor', 'huge');
    expect([nvh.code, nvh.json.error.code]).toEqual([5, 'NO_VALID_HOST']);
    expect(nvh.json.error.message).toMatch(/RAM|Ram/);
    expect((await t.migrations('web'))[0]).toMatchObject({ status: 'error', migration_type: 'resize' });
    expect((await t.run('quota', 'set', '--cores', '5')).code).toBe(0);
    const over = await t.run('server', 'resize', 'web', '--flavor', 'large-missing');
    expect(over.code).toBe(3);
    await t.ok('flavor', 'create', 'wide', '--vcpus', '6', '--ram', '4096', '--disk', '20');
    const q = await t.run('server', 'resize', 'web', '--flavor', 'wide');
    expect([q.code, q.json.error.code]).toEqual([5, 'QUOTA_EXCEEDED']);
    expect((await t.run('quota', 'set', '--cores', '20')).code).toBe(0);
    await t.ok('server', 'lock', 'web');
    for (const argv of [['resize', 'web', '--flavor', 'lean'], ['migrate', 'web'], ['live-migrate', 'web']]) {
      expect((await t.run('server', ...argv)).json.error.code).toBe('SERVER_LOCKED');
    }
    await t.ok('server', 'unlock', 'web');
    expect([states(await t.show('web')), await t.usage(), await t.quota()]).toEqual(before);
  });

  it('a resize down frees quota once the server lands; a stopped server stays stopped through resize and confirm', async () => {
    await t.ok('server', 'stop', 'web');
    const r = await t.ok('server', 'resize', 'web', '--flavor', 'lean');
    expect(states(r.server)).toEqual(['VERIFY_RESIZE', 'resized', null, 4]);
    expect(r.server['OS-EXT-SRV-ATTR:host']).toBe(home);
    expect(await t.quota()).toEqual([1, 1, 1024]);
    expect(await t.usage()).toEqual({ [home]: [1, 1024, 1], [other]: [4, 4096, 1] });
    const c = await t.ok('server', 'resize', 'confirm', 'web', '--wait');
    expect(states(c.server)).toEqual(['SHUTOFF', 'stopped', null, 4]);
    expect(await t.usage()).toEqual({ [home]: [1, 1024, 1], [other]: [0, 0, 0] });
    expect((await t.ok('server', 'start', 'web')).server.status).toBe('ACTIVE');
    // Back to small for the rest (a resize up from lean, reverted state irrelevant).
    await t.ok('server', 'resize', 'web', '--flavor', 'small');
    await t.ok('server', 'resize', 'confirm', 'web');
    expect(await t.quota()).toEqual([1, 2, 2048]);
    expect((await t.show('web'))['OS-EXT-SRV-ATTR:host']).toBe(other);
    [home, other] = [other, home];
  });

  it('cold migrate → VERIFY_RESIZE elsewhere with the same flavor and no quota change; --host checks', async () => {
    expect((await t.run('server', 'migrate', 'web', '--host', home)).json.error.code).toBe('SAME_HOST');
    expect((await t.run('server', 'migrate', 'web', '--host', 'nowhere')).code).toBe(3);
    const r = await t.ok('server', 'migrate', 'web', '--host', other, '--wait');
    expect(states(r.server)).toEqual(['VERIFY_RESIZE', 'resized', null, 1]);
    expect(r.server['OS-EXT-SRV-ATTR:host']).toBe(other);
    expect(r.server.flavor.original_name).toBe('small');
    expect(await t.usage()).toEqual({ [home]: [2, 2048, 1], [other]: [2, 2048, 1] });
    expect(await t.quota()).toEqual([1, 2, 2048]);
    expect((await t.migrations('web'))[0]).toMatchObject({ migration_type: 'migration', status: 'finished', source_compute: home, dest_compute: other });
    expect((await t.ok('server', 'event', 'list', 'web')).instanceActions[0].action).toBe('migrate');
    const c = await t.ok('server', 'resize', 'confirm', 'web');
    expect(states(c.server)).toEqual(['ACTIVE', 'active', null, 1]);
    expect(await t.usage()).toEqual({ [home]: [0, 0, 0], [other]: [2, 2048, 1] });
    [home, other] = [other, home];
  });

  it('live-migrate → ACTIVE on the other host, allocation moved, migration completed; a paused server stays PAUSED', async () => {
    const r = await t.ok('server', 'live-migrate', 'web', '--wait');
    expect(states(r.server)).toEqual(['ACTIVE', 'active', null, 1]);
    expect(r.server['OS-EXT-SRV-ATTR:host']).toBe(other);
    expect(await t.usage()).toEqual({ [home]: [0, 0, 0], [other]: [2, 2048, 1] });
    expect((await t.migrations('web'))[0]).toMatchObject({ migration_type: 'live-migration', status: 'completed', source_compute: home, dest_compute: other });
    expect(t.fakeHost(home)[id]).toBeUndefined();
    await t.ok('server', 'pause', 'web');
    const p = await t.ok('server', 'live-migrate', 'web', '--host', home);
    expect(states(p.server)).toEqual(['PAUSED', 'paused', null, 3]);
    expect(p.server['OS-EXT-SRV-ATTR:host']).toBe(home);
    expect(await t.usage()).toEqual({ [home]: [2, 2048, 1], [other]: [0, 0, 0] });
    await t.ok('server', 'unpause', 'web');
    await t.ok('server', 'stop', 'web');
    expect((await t.run('server', 'live-migrate', 'web')).code).toBe(4);
    await t.ok('server', 'start', 'web');
    expect((await t.ok('migration', 'list', '--type', 'live-migration', '--host', other)).migrations).toHaveLength(2);
  });

  it('evacuate: refused while the host is up (4); from a forced-down host → rebuilt elsewhere, the source cleaned once it is back', async () => {
    const up = await t.run('server', 'evacuate', 'web');
    expect([up.code, up.json.error.code]).toEqual([4, 'COMPUTE_SERVICE_IN_USE']);
    await forceDown(env, home, true);
    expect((await t.run('server', 'stop', 'web')).code).toBe(0); // the fake host still answers; the record says stopped
    expect((await t.run('server', 'migrate', 'web')).json.error.code).toBe('COMPUTE_SERVICE_UNAVAILABLE');
    const r = await t.ok('server', 'evacuate', 'web', '--wait');
    expect(states(r.server)).toEqual(['SHUTOFF', 'stopped', null, 4]);
    expect(r.server['OS-EXT-SRV-ATTR:host']).toBe(other);
    expect(await t.usage()).toEqual({ [home]: [0, 0, 0], [other]: [2, 2048, 1] });
    expect((await t.migrations('web'))[0]).toMatchObject({ migration_type: 'evacuation', status: 'done', source_compute: home, dest_compute: other });
    expect(t.fakeHost(home)[id]).toBeDefined(); // the down host still has its stale copy
    expect((await t.ok('server', 'event', 'list', 'web')).instanceActions[0].action).toBe('evacuate');
    await forceDown(env, home, false);
    expect((await t.migrations('web'))[0].status).toBe('completed');
    expect(t.fakeHost(home)[id]).toBeUndefined();
    expect((await t.ok('server', 'start', 'web')).server.status).toBe('ACTIVE');
    [home, other] = [other, home];
  });

  it('a failing migrateDiskAndPowerOff (source --fake-fail migrate) leaves the server ACTIVE on its host, with a fault; nothing leaks', async () => {
    await t.ok('host', 'add', 'h3', '--driver', 'fake', '--vcpus', '8', '--memory-mb', '8704', '--disk-gb', '100', '--fake-fail', 'migrate');
    const s = (await t.ok('server', 'create', 'db', '--flavor', 'small', '--host', 'h3', '--wait')).server;
    const before = await t.usage();
    const r = await t.run('server', 'migrate', 'db');
    expect([r.code, r.json.error.code]).toEqual([6, 'FAKE_INJECTED_FAILURE']);
    const after = await t.show('db');
    expect(states(after)).toEqual(['ACTIVE', 'active', null, 1]);
    expect(after['OS-EXT-SRV-ATTR:host']).toBe('h3');
    expect(await t.usage()).toEqual(before);
    expect(await t.quota()).toEqual([2, 4, 4096]);
    expect((await t.migrations('db'))[0]).toMatchObject({ status: 'error', source_compute: 'h3' });
    const ev = (await t.ok('server', 'event', 'list', 'db')).instanceActions[0];
    expect(ev.message).toMatch(/injected failure/);
    const detail = (await t.ok('server', 'event', 'show', 'db', ev.request_id)).instanceAction;
    expect(detail.events.find((e: Json) => e.event === 'compute_resize_instance').result).toBe('Error');
    // The same host failing as a destination: finishMigration fails, the server goes back to its source.
    const r2 = await t.run('server', 'migrate', 'web', '--host', 'h3');
    expect(r2.code).toBe(6);
    const web = await t.show('web');
    expect(states(web)).toEqual(['ACTIVE', 'active', null, 1]);
    expect([web['OS-EXT-SRV-ATTR:host'], web.flavor.original_name]).toEqual([home, 'small']);
    expect(await t.usage()).toEqual(before);
    expect(t.fakeHost('h3')[id]).toBeUndefined();
    expect(t.fakeHost(home)[id]).toMatchObject({ powerState: 1, migration: null });
    expect((await t.ok('server', 'live-migrate', 'web', '--host', 'h3')).server['OS-EXT-SRV-ATTR:host']).toBe('h3');
    expect(s.id).toBeTruthy();
  });

  it('deleting a server in VERIFY_RESIZE frees both allocations and its quota; and its source copy', async () => {
    await t.ok('host', 'disable', 'h3');
    const before = [await t.usage(), await t.quota()];
    const tmp = (await t.ok('server', 'create', 'tmp', '--flavor', 'small', '--wait')).server;
    const r = await t.ok('server', 'resize', 'tmp', '--flavor', 'medium');
    const [src, dst] = [tmp['OS-EXT-SRV-ATTR:host'], r.server['OS-EXT-SRV-ATTR:host']];
    expect(src).not.toBe(dst);
    await t.ok('server', 'delete', 'tmp', '--wait');
    expect([await t.usage(), await t.quota()]).toEqual(before);
    expect(t.fakeHost(dst)[tmp.id]).toBeUndefined();
    // The delete confirmed the resize: the source copy is gone at once.
    expect(t.fakeHost(src)[tmp.id]).toBeUndefined();
    expect((await t.ok('migration', 'list', '--server', tmp.id)).migrations[0].status).toBe('confirmed');
  });

  it('migration list: filters and the os-migrations shape; deleting the servers frees every host', async () => {
    const all = (await t.ok('migration', 'list')).migrations;
    expect(all.length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(all[0]).sort()).toEqual(['created_at', 'dest_compute', 'dest_host', 'dest_node', 'id', 'instance_uuid', 'migration_type',
      'new_instance_type_id', 'old_instance_type_id', 'project_id', 'source_compute', 'source_node', 'status', 'updated_at', 'user_id', 'uuid'].sort());
    expect(all.map((m: Json) => m.created_at)).toEqual([...all.map((m: Json) => m.created_at)].sort().reverse());
    expect((await t.ok('migration', 'list', '--status', 'reverted')).migrations.every((m: Json) => m.status === 'reverted')).toBe(true);
    expect((await t.run('migration', 'list', '--server', 'nope')).code).toBe(3);
    expect((await t.run('migration', 'list', '--type', 'teleport')).code).toBe(2);
    const human = await runCli(['migration', 'list', '--type', 'evacuation'], env);
    expect(human.stdout).toMatch(/evacuation\s+completed/);
    await t.ok('server', 'delete', 'web', '--wait');
    await t.ok('server', 'delete', 'db', '--wait');
    expect(Object.values(await t.usage())).toEqual([[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
    expect(await t.quota()).toEqual([0, 0, 0]);
  });
});

describe('resize on one host, automatic confirmation', () => {
  let env: Record<string, string>;
  const t = tools(() => env);

  beforeAll(async () => {
    env = await cloud('[DEFAULT]\nallow_resize_to_same_host = true\n[compute]\nresize_confirm_window = 3\n', ['solo']);
  });

  it('resizes in place (both flavors on the host until confirmed); revert restores the old flavor in place', async () => {
    const id = (await t.ok('server', 'create', 'app', '--flavor', 'small', '--wait')).server.id;
    const r = await t.ok('server', 'resize', 'app', '--flavor', 'medium');
    expect(states(r.server)).toEqual(['VERIFY_RESIZE', 'resized', null, 1]);
    expect(r.server['OS-EXT-SRV-ATTR:host']).toBe('solo');
    expect(await t.usage()).toEqual({ solo: [6, 6144, 1] });
    const v = await t.ok('server', 'resize', 'revert', 'app');
    expect(states(v.server)).toEqual(['ACTIVE', 'active', null, 1]);
    expect(v.server.flavor.original_name).toBe('small');
    expect(await t.usage()).toEqual({ solo: [2, 2048, 1] });
    expect(await t.quota()).toEqual([1, 2, 2048]);
    expect(t.fakeHost('solo')[id]).toMatchObject({ flavor: { name: 'small' }, resizeLeftover: null, powerState: 1 });
  });

  it('confirms by itself once [compute] resize_confirm_window has passed, at the next command', async () => {
    const r = await t.ok('server', 'resize', 'app', '--flavor', 'medium');
    expect(r.server.status).toBe('VERIFY_RESIZE');
    await new Promise((res) => setTimeout(res, 3500));
    const s = await t.show('app');
    expect(states(s)).toEqual(['ACTIVE', 'active', null, 1]);
    expect(s.flavor.original_name).toBe('medium');
    expect(await t.usage()).toEqual({ solo: [4, 4096, 1] });
    expect(await t.quota()).toEqual([1, 4, 4096]);
    expect((await t.migrations('app')).map((m: Json) => m.status)).toEqual(['confirmed', 'reverted']);
    const actions = (await t.ok('server', 'event', 'list', 'app')).instanceActions;
    expect(actions[0]).toMatchObject({ action: 'confirmResize', user_id: null });
    // A resize confirmed by hand leaves no timer behind to confirm anything later.
    await t.ok('server', 'resize', 'app', '--flavor', 'small');
    await t.ok('server', 'resize', 'confirm', 'app');
    await new Promise((res) => setTimeout(res, 3500));
    expect((await t.ok('server', 'event', 'list', 'app')).instanceActions.filter((a: Json) => a.action === 'confirmResize')).toHaveLength(2);
    expect(await t.usage()).toEqual({ solo: [2, 2048, 1] });
  });
});
