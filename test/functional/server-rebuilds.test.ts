/**
 * Rebuild, rescue, shelve/offload/unshelve, reset-state and soft delete/restore/reclaim through
 * the CLI on every engine: vm_state, task_state, power_state, host, image, host usage and quota
 * after each step, the instance-action log, the error paths (nothing leaked), and recovery of
 * each task kind after a simulated crash (an expired task row left behind mid-way).
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openDb } from '../../src/lib/db/knex';
import { isolatedEnv, runCli } from '../helpers/cli';
import { createTestDatabase, testEngines, TestEngine } from '../helpers/engines';

jest.setTimeout(300000);

type Json = Record<string, any>;
const states = (s: Json) => [s.status, s['OS-EXT-STS:vm_state'], s['OS-EXT-STS:task_state'], s['OS-EXT-STS:power_state']];
const hostOf = (s: Json) => s['OS-EXT-SRV-ATTR:host'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(testEngines().map((e) => [e.name, e] as [string, TestEngine]))('server rebuild, rescue, shelve and soft delete on %s', (_n, engine) => {
  let env: Record<string, string>;
  /** The same cloud with other [DEFAULT] settings. */
  let keep: Record<string, string>;
  let later: Record<string, string>;
  let soft: Record<string, string>;
  let cellUrl: string;
  let images: Record<string, string>;
  const drops: Array<() => Promise<void>> = [];

  const run = async (args: string[], code = 0, e = env) => {
    const r = await runCli([...args, '--json'], e);
    if (r.code !== code) throw new Error(`novalite ${args.join(' ')} exited ${r.code}, expected ${code}: ${r.stdout}${r.stderr}`);
    return r.json;
  };
  const show = async (id: string, e = env) => (await run(['server', 'show', id], 0, e)).server;
  /** vCPUs and servers claimed on every host, summed (each test leaves it at 0). */
  const used = async () => {
    const hosts: Json[] = (await run(['host', 'list'])).hosts;
    return { vcpus: hosts.reduce((n, h) => n + h.vcpus_used, 0), ram: hosts.reduce((n, h) => n + h.memory_mb_used, 0), vms: hosts.reduce((n, h) => n + h.running_vms, 0) };
  };
  const onHost = async (host: string) => {
    const h = (await run(['host', 'show', host])).host;
    return { vcpus: h.vcpus_used, ram: h.memory_mb_used, vms: h.running_vms };
  };
  const quota = async () => {
    const q = (await run(['quota', 'show'])).quota_set.in_use;
    return { instances: q.instances, cores: q.cores, ram: q.ram };
  };
  const actions = async (id: string) => (await run(['server', 'event', 'list', id])).instanceActions.map((a: Json) => a.action);
  const events = async (id: string, action: string) => {
    const a = (await run(['server', 'event', 'list', id])).instanceActions.find((x: Json) => x.action === action);
    return (await run(['server', 'event', 'show', id, a.request_id])).instanceAction.events.map((e: Json) => `${e.event}:${e.result}`);
  };
  const cell = async <T>(fn: (k: ReturnType<typeof openDb>['knex']) => Promise<T>): Promise<T> => {
    const db = openDb(cellUrl, { setting: 'test' });
    try { return await fn(db.knex); } finally { await db.close(); }
  };
  /** The host's fake driver starts (or stops) failing these operations, as a host that breaks. */
  const breakHost = (host: string, fail: string[]) => cell(async (k) => {
    const row = await k('compute_nodes').where({ host }).whereNull('deleted_at').first('driver_config');
    await k('compute_nodes').where({ host }).update({ driver_config: JSON.stringify({ ...JSON.parse(row.driver_config), fail }) });
  });
  /** What a process that died mid-task leaves behind: the server's state at that point and a running task whose lease ran out. */
  const crash = (uuid: string, kind: string, patch: Record<string, unknown>, payload: object = {}, leaseMs = -60000) => cell(async (k) => {
    const now = new Date().toISOString();
    await k('instances').where({ uuid }).update(patch);
    await k('tasks').insert({
      uuid: randomUUID(), kind, instance_uuid: uuid, state: 'running', owner: 'dead-host:1:feedbeef', lease_expires_at: new Date(Date.now() + leaseMs).toISOString(),
      heartbeat_at: now, attempts: 1, payload: JSON.stringify({ actionId: 0, ...payload }), created_at: now, updated_at: now,
    });
  });
  const create = async (name: string, e = env) => {
    const s = (await run(['server', 'create', name, '--flavor', 'small', '--image', 'tiny', '--wait'], 0, e)).server;
    expect(states(s)).toEqual(['ACTIVE', 'active', null, 1]);
    return s;
  };
  const gone = async (id: string) => {
    await run(['server', 'delete', id, '--force', '--yes']);
    expect((await runCli(['server', 'show', id, '--json'], env)).code).toBe(3);
    expect(await used()).toEqual({ vcpus: 0, ram: 0, vms: 0 });
    expect(await quota()).toEqual({ instances: 0, cores: 0, ram: 0 });
  };

  beforeAll(async () => {
    const dbs = await Promise.all(['api', 'cell1', 'cell0'].map((p) => createTestDatabase(engine, `rb_${p}`)));
    drops.push(...dbs.map((d) => d.drop));
    cellUrl = dbs[1].url;
    env = isolatedEnv({ NOVALITE_API_DATABASE_CONNECTION: dbs[0].url, NOVALITE_DATABASE_CONNECTION: dbs[1].url });
    const conf = (name: string, text: string) => {
      const file = path.join(env.HOME, `${name}.conf`);
      fs.writeFileSync(file, `[DEFAULT]\n${text}\n`);
      return { ...env, NOVALITE_CONFIG_FILE: file };
    };
    keep = conf('keep', 'shelved_offload_time = -1');
    later = conf('later', 'shelved_offload_time = 1');
    soft = conf('soft', 'reclaim_instance_interval = 3');
    const img = path.join(env.HOME, 'tiny.img');
    fs.writeFileSync(img, Buffer.alloc(4096, 1));
    await run(['api-db', 'sync']);
    await run(['cell-v2', 'map-cell0', '--database-connection', dbs[2].url]);
    await run(['db', 'sync']);
    await run(['cell-v2', 'simple-cell-setup']);
    for (const h of ['h1', 'h2']) await run(['host', 'add', h, '--driver', 'fake', '--vcpus', '8', '--memory-mb', '8704', '--disk-gb', '100']);
    await run(['flavor', 'create', 'small', '--vcpus', '2', '--ram', '2048', '--disk', '10']);
    await run(['flavor', 'create', 'huge', '--vcpus', '4', '--ram', '16384', '--disk', '10']);
    images = {};
    for (const [name, extra] of [['tiny', []], ['other', ['--property', 'os_distro=cirros']], ['fat', ['--min-ram', '4096']]] as Array<[string, string[]]>) {
      images[name] = (await run(['image', 'create', name, '--file', img, ...extra])).image.id;
    }
  });
  afterAll(async () => { for (const d of drops) await d().catch(() => undefined); });

  it('rebuild: same host, new image, ACTIVE (a stopped server stopped again); a failing spawn is ERROR with a fault and keeps its claim', async () => {
    const s = await create('rb');
    const host = hostOf(s);
    const r = (await run(['server', 'rebuild', s.id, '--image', 'other', '--wait', '--yes'])).server;
    expect(states(r)).toEqual(['ACTIVE', 'active', null, 1]);
    expect([hostOf(r), r.image.id]).toEqual([host, images.other]);
    expect(await onHost(host)).toEqual({ vcpus: 2, ram: 2048, vms: 1 });
    expect(await events(s.id, 'rebuild')).toEqual(['compute_rebuild_instance:Success']);
    await run(['server', 'stop', s.id]);
    const again = (await run(['server', 'rebuild', s.id, '--wait', '--yes'])).server;
    expect(states(again)).toEqual(['SHUTOFF', 'stopped', null, 4]);
    expect(again.image.id).toBe(images.other);
    await run(['server', 'start', s.id]);
    // Unknown image (exit 3), an image too big for the flavor (exit 2), a locked server (exit 4): nothing changes.
    expect((await run(['server', 'rebuild', s.id, '--image', 'nope', '--yes'], 3)).error.code).toBe('IMAGE_NOT_FOUND');
    expect((await run(['server', 'rebuild', s.id, '--image', 'fat', '--yes'], 2)).error.code).toBe('FLAVOR_MEMORY_TOO_SMALL');
    await run(['server', 'lock', s.id]);
    expect((await run(['server', 'rebuild', s.id, '--yes'], 4)).error.code).toBe('SERVER_LOCKED');
    await run(['server', 'unlock', s.id]);
    expect(states(await show(s.id))).toEqual(['ACTIVE', 'active', null, 1]);
    // The host breaks: the spawn fails, the server is ERROR with the fault, still on its host with its claim.
    await breakHost(host, ['spawn']);
    const failed = await run(['server', 'rebuild', s.id, '--image', 'tiny', '--wait', '--yes'], 6);
    expect(failed.error.message).toMatch(/spawn failed/);
    const err = await show(s.id);
    expect(states(err)).toEqual(['ERROR', 'error', null, 0]);
    expect([hostOf(err), err.image.id]).toEqual([host, images.tiny]);
    expect(err.fault.message).toMatch(/spawn failed/);
    expect(await onHost(host)).toEqual({ vcpus: 2, ram: 2048, vms: 1 });
    expect(await quota()).toEqual({ instances: 1, cores: 2, ram: 2048 });
    expect(await events(s.id, 'rebuild')).toEqual(['compute_rebuild_instance:Error']);
    // Repaired, a rebuild from ERROR brings it back.
    await breakHost(host, []);
    expect(states((await run(['server', 'rebuild', s.id, '--wait', '--yes'])).server)).toEqual(['ACTIVE', 'active', null, 1]);
    expect((await actions(s.id)).filter((a: string) => a === 'rebuild')).toHaveLength(4);
    await gone(s.id);
  });

  it('rescue → RESCUE, unrescue → ACTIVE; wrong states are exit 4; a failing rescue keeps the server ACTIVE', async () => {
    const s = await create('rs');
    const host = hostOf(s);
    const r = (await run(['server', 'rescue', s.id, '--wait'])).server;
    expect(states(r)).toEqual(['RESCUE', 'rescued', null, 1]);
    expect(hostOf(r)).toBe(host);
    const twice = await run(['server', 'rescue', s.id], 4);
    expect(twice.error).toMatchObject({ code: 'INVALID_STATE', details: { vm_state: 'rescued', task_state: null } });
    expect(twice.error.message).toMatch(/vm_state rescued; it needs active or stopped or error/);
    expect((await run(['server', 'stop', s.id], 4)).error.code).toBe('INVALID_STATE');
    expect((await run(['server', 'shelve', s.id], 4)).error.message).toMatch(/needs active or stopped or paused or suspended/);
    expect(states((await run(['server', 'unrescue', s.id, '--wait'])).server)).toEqual(['ACTIVE', 'active', null, 1]);
    expect((await run(['server', 'unrescue', s.id], 4)).error.message).toMatch(/vm_state active; it needs rescued/);
    expect(states((await run(['server', 'rescue', s.id, '--image', 'other'])).server)).toEqual(['RESCUE', 'rescued', null, 1]);
    await run(['server', 'unrescue', s.id]);
    expect((await run(['server', 'rescue', s.id, '--image', 'nope'], 3)).error.code).toBe('IMAGE_NOT_FOUND');
    await breakHost(host, ['rescue']);
    expect((await run(['server', 'rescue', s.id, '--wait'], 6)).error.message).toMatch(/rescue failed/);
    expect(states(await show(s.id))).toEqual(['ACTIVE', 'active', null, 1]);
    await breakHost(host, []);
    expect(await actions(s.id)).toEqual(['rescue', 'unrescue', 'rescue', 'unrescue', 'rescue', 'create']);
    expect(await events(s.id, 'rescue')).toEqual(['compute_rescue_instance:Error']);
    expect(await onHost(host)).toEqual({ vcpus: 2, ram: 2048, vms: 1 });
    await gone(s.id);
  });

  it('shelve keeps host and claim; shelve-offload frees them; unshelve powers on or schedules anew; quota stays consumed', async () => {
    const s = await create('sh');
    const host = hostOf(s);
    const q = { instances: 1, cores: 2, ram: 2048 };
    const shelved = (await run(['server', 'shelve', s.id, '--wait'], 0, keep)).server;
    expect(states(shelved)).toEqual(['SHELVED', 'shelved', null, 4]);
    expect(hostOf(shelved)).toBe(host);
    expect(await onHost(host)).toEqual({ vcpus: 2, ram: 2048, vms: 1 });
    expect(await quota()).toEqual(q);
    expect((await run(['server', 'shelve', s.id], 4, keep)).error.message).toMatch(/vm_state shelved; it needs active or stopped or paused or suspended/);
    expect((await run(['server', 'start', s.id], 4)).error.code).toBe('INVALID_STATE');
    expect((await run(['server', 'unshelve', s.id, '--availability-zone', 'nova'], 4)).error.message).toMatch(/SHELVED_OFFLOADED/);
    const back = (await run(['server', 'unshelve', s.id, '--wait'], 0, keep)).server;
    expect(states(back)).toEqual(['ACTIVE', 'active', null, 1]);
    expect(hostOf(back)).toBe(host);
    await run(['server', 'shelve', s.id], 0, keep);
    const off = (await run(['server', 'shelve-offload', s.id, '--wait'])).server;
    expect(states(off)).toEqual(['SHELVED_OFFLOADED', 'shelved_offloaded', null, 0]);
    expect([hostOf(off), off['OS-EXT-SRV-ATTR:hypervisor_hostname']]).toEqual([null, null]);
    expect(await used()).toEqual({ vcpus: 0, ram: 0, vms: 0 });
    expect(await quota()).toEqual(q);
    expect((await run(['server', 'shelve-offload', s.id], 4)).error.message).toMatch(/vm_state shelved_offloaded; it needs shelved/);
    expect((await run(['server', 'rebuild', s.id, '--yes'], 4)).error.message).toMatch(/needs active or stopped or error/);
    // No host in that zone: exit 5, and it stays offloaded with nothing claimed.
    expect((await run(['server', 'unshelve', s.id, '--availability-zone', 'nowhere', '--wait'], 5)).error.code).toBe('NO_VALID_HOST');
    expect(states(await show(s.id))).toEqual(['SHELVED_OFFLOADED', 'shelved_offloaded', null, 0]);
    expect(await used()).toEqual({ vcpus: 0, ram: 0, vms: 0 });
    // Unshelved anywhere: claimed and ACTIVE.
    const up = (await run(['server', 'unshelve', s.id, '--wait'])).server;
    expect(states(up)).toEqual(['ACTIVE', 'active', null, 1]);
    expect(['h1', 'h2']).toContain(hostOf(up));
    expect(await onHost(hostOf(up))).toEqual({ vcpus: 2, ram: 2048, vms: 1 });
    // [DEFAULT] shelved_offload_time = 0 (the default): offloaded at once, in the same action.
    expect(states((await run(['server', 'shelve', s.id, '--wait'])).server)).toEqual(['SHELVED_OFFLOADED', 'shelved_offloaded', null, 0]);
    expect(await events(s.id, 'shelve')).toEqual(['compute_shelve_instance:Success', 'compute_shelve_offload_instance:Success']);
    expect(await used()).toEqual({ vcpus: 0, ram: 0, vms: 0 });
    // shelved_offload_time = 1: offloaded lazily by a later command once a second has passed.
    await run(['server', 'unshelve', s.id]);
    expect(states((await run(['server', 'shelve', s.id], 0, later)).server)).toEqual(['SHELVED', 'shelved', null, 4]);
    await sleep(1100);
    const lazily = await show(s.id, later);
    expect(states(lazily)).toEqual(['SHELVED_OFFLOADED', 'shelved_offloaded', null, 0]);
    expect(await used()).toEqual({ vcpus: 0, ram: 0, vms: 0 });
    // A spawn that fails on the chosen host: exit 6, back to SHELVED_OFFLOADED, the claim freed there.
    await run(['host', 'add', 'bad', '--driver', 'fake', '--vcpus', '8', '--memory-mb', '8704', '--disk-gb', '100', '--az', 'broken', '--fake-fail', 'spawn']);
    expect((await run(['server', 'unshelve', s.id, '--availability-zone', 'broken'], 6)).error.message).toMatch(/spawn failed/);
    const after = await show(s.id);
    expect(states(after)).toEqual(['SHELVED_OFFLOADED', 'shelved_offloaded', null, 0]);
    expect(hostOf(after)).toBeNull();
    expect(await onHost('bad')).toEqual({ vcpus: 0, ram: 0, vms: 0 });
    await run(['host', 'remove', 'bad']);
    expect(await quota()).toEqual(q);
    expect(states((await run(['server', 'unshelve', s.id, '--wait'])).server)).toEqual(['ACTIVE', 'active', null, 1]);
    expect(await actions(s.id)).toEqual(expect.arrayContaining(['shelve', 'shelveOffload', 'unshelve']));
    await gone(s.id);
  });

  it('soft delete keeps the server (and its claim and quota) until restored, force-deleted or reclaimed', async () => {
    const s = await create('sd1');
    const host = hostOf(s);
    const q = { instances: 1, cores: 2, ram: 2048 };
    const del = await run(['server', 'delete', s.id, '--yes'], 0, soft);
    expect(states(del.deleted[0])).toEqual(['SOFT_DELETED', 'soft-delete', null, 4]);
    const kept = await show(s.id, soft);
    expect(states(kept)).toEqual(['SOFT_DELETED', 'soft-delete', null, 4]);
    expect(hostOf(kept)).toBe(host);
    expect(await onHost(host)).toEqual({ vcpus: 2, ram: 2048, vms: 1 });
    expect(await quota()).toEqual(q);
    expect((await run(['server', 'start', s.id], 4, soft)).error.code).toBe('INVALID_STATE');
    expect(states((await run(['server', 'restore', s.id, '--wait'], 0, soft)).server)).toEqual(['ACTIVE', 'active', null, 1]);
    expect((await run(['server', 'restore', s.id], 4, soft)).error.message).toMatch(/vm_state active; it needs soft-delete/);
    expect(await actions(s.id)).toEqual(['restore', 'delete', 'create']);
    expect(await events(s.id, 'restore')).toEqual(['compute_restore_instance:Success']);
    // Soft-deleted again, then --force: really deleted at once.
    await run(['server', 'delete', s.id, '--yes'], 0, soft);
    await run(['server', 'delete', s.id, '--yes', '--force'], 0, soft);
    expect((await runCli(['server', 'show', s.id, '--json'], soft)).code).toBe(3);
    expect(await used()).toEqual({ vcpus: 0, ram: 0, vms: 0 });
    expect(await quota()).toEqual({ instances: 0, cores: 0, ram: 0 });
    // Reclaimed by whatever command runs once the interval has passed.
    const s2 = await create('sd2');
    await run(['server', 'delete', s2.id, '--yes'], 0, soft);
    expect((await run(['server', 'list'], 0, soft)).servers.map((x: Json) => [x.name, x.status])).toEqual([['sd2', 'SOFT_DELETED']]);
    await sleep(3100);
    expect((await run(['server', 'list'], 0, soft)).servers).toEqual([]);
    expect(await used()).toEqual({ vcpus: 0, ram: 0, vms: 0 });
    expect(await quota()).toEqual({ instances: 0, cores: 0, ram: 0 });
    // A server that never ran, and one without a host (offloaded), are deleted for real at once.
    await run(['server', 'create', 'never', '--flavor', 'huge', '--image', 'tiny'], 0, soft);
    expect((await run(['server', 'rebuild', 'never', '--yes'], 4, soft)).error.message).toMatch(/has no host/);
    expect((await run(['server', 'rescue', 'never'], 4, soft)).error.message).toMatch(/has no host/);
    await run(['server', 'delete', 'never', '--yes'], 0, soft);
    expect((await runCli(['server', 'show', 'never', '--json'], soft)).code).toBe(3);
    const s3 = await create('sd3');
    await run(['server', 'shelve', s3.id]);
    await run(['server', 'delete', s3.id, '--yes'], 0, soft);
    expect((await runCli(['server', 'show', s3.id, '--json'], soft)).code).toBe(3);
    expect(await quota()).toEqual({ instances: 0, cores: 0, ram: 0 });
  });

  it('reset-state: error, or active with --active, clearing task_state whatever the state or lock', async () => {
    const s = await create('rst');
    expect(states((await run(['server', 'reset-state', s.id])).server)).toEqual(['ERROR', 'error', null, 1]);
    expect(states((await run(['server', 'reset-state', s.id, '--active'])).server)).toEqual(['ACTIVE', 'active', null, 1]);
    // A task that was abandoned (its row finished, its task_state left behind) blocks every action until reset.
    await cell((k) => k('instances').where({ uuid: s.id }).update({ task_state: 'rebuilding' }));
    expect((await run(['server', 'rebuild', s.id, '--yes'], 4)).error.message).toMatch(/while it is rebuilding/);
    await run(['server', 'lock', s.id]);
    expect(states((await run(['server', 'reset-state', s.id])).server)).toEqual(['ERROR', 'error', null, 1]);
    await run(['server', 'unlock', s.id]);
    expect(states((await run(['server', 'rebuild', s.id, '--wait', '--yes'])).server)).toEqual(['ACTIVE', 'active', null, 1]);
    expect((await run(['server', 'reset-state', 'nope'], 3)).error.code).toBe('SERVER_NOT_FOUND');
    await gone(s.id);
  });

  it('recovers each task kind whose process died mid-way, to a definite state with consistent claims', async () => {
    const s = await create('rc');
    const host = hostOf(s);
    const here = { vcpus: 2, ram: 2048, vms: 1 };
    // rebuild (died while spawning): run again → ACTIVE.
    await crash(s.id, 'rebuild', { task_state: 'rebuild_spawning', power_state: 0 }, { origVmState: 'active' });
    expect(states(await show(s.id))).toEqual(['ACTIVE', 'active', null, 1]);
    // rescue (died before the host did it): out of rescue mode, state from the host.
    await crash(s.id, 'rescue', { task_state: 'rescuing' });
    expect(states(await show(s.id))).toEqual(['ACTIVE', 'active', null, 1]);
    // soft delete, then restore.
    await crash(s.id, 'soft_delete', { task_state: 'soft-deleting' });
    expect(states(await show(s.id, soft))).toEqual(['SOFT_DELETED', 'soft-delete', null, 4]);
    await crash(s.id, 'restore', { task_state: 'restoring' });
    expect(states(await show(s.id, soft))).toEqual(['ACTIVE', 'active', null, 1]);
    expect(await onHost(host)).toEqual(here);
    // shelve with offload (died before powering off): finished → SHELVED_OFFLOADED, claim freed.
    await crash(s.id, 'shelve', { task_state: 'shelving' }, { offload: true });
    const off = await show(s.id);
    expect([...states(off), hostOf(off)]).toEqual(['SHELVED_OFFLOADED', 'shelved_offloaded', null, 0, null]);
    expect(await used()).toEqual({ vcpus: 0, ram: 0, vms: 0 });
    // unshelve that died before its spawn: stays offloaded, nothing claimed.
    await crash(s.id, 'unshelve', { task_state: 'spawning' });
    expect(states(await show(s.id))).toEqual(['SHELVED_OFFLOADED', 'shelved_offloaded', null, 0]);
    expect(await used()).toEqual({ vcpus: 0, ram: 0, vms: 0 });
    // unshelve that died after its spawn completed: kept, ACTIVE with its claim.
    const up = (await run(['server', 'unshelve', s.id])).server;
    await crash(s.id, 'unshelve', { vm_state: 'shelved_offloaded', task_state: 'spawning' });
    const kept = await show(s.id);
    expect([...states(kept), hostOf(kept)]).toEqual(['ACTIVE', 'active', null, 1, hostOf(up)]);
    expect(await onHost(hostOf(up))).toEqual(here);
    // A reset-state in between wins: the late recovery leaves the server alone.
    await crash(s.id, 'rebuild', { task_state: 'rebuilding' }, { origVmState: 'active' }, 2500);
    expect(states((await run(['server', 'reset-state', s.id, '--active'])).server)).toEqual(['ACTIVE', 'active', null, 1]);
    await run(['server', 'stop', s.id]);
    await sleep(2600);
    expect(states(await show(s.id))).toEqual(['SHUTOFF', 'stopped', null, 4]);
    const [running] = await cell((k) => k('tasks').where({ instance_uuid: s.id, state: 'running' }).count({ n: '*' }));
    expect(Number(running.n)).toBe(0);
    expect(await quota()).toEqual({ instances: 1, cores: 2, ram: 2048 });
    await gone(s.id);
  });
});
