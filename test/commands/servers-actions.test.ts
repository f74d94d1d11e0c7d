/**
 * The server commands after create: list, show, set/unset, the power actions with the
 * OS-EXT-STS states after each, lock/unlock, console-log, events, wait and delete.
 */
import { runCli, serverCloud } from '../helpers/cli';

jest.setTimeout(120000);

const cloud = serverCloud;

type Json = Record<string, any>;
const states = (s: Json) => [s.status, s['OS-EXT-STS:vm_state'], s['OS-EXT-STS:task_state'], s['OS-EXT-STS:power_state']];

describe('server actions', () => {
  let env: Record<string, string>;
  let web: Json;
  const cli = (...argv: string[]) => runCli([...argv, '--json'], env);

  beforeAll(async () => {
    env = await cloud();
    web = (await cli('server', 'create', 'web', '--flavor', 'f1', '--image', 'cirros', '--wait')).json.server;
    expect(web.status).toBe('ACTIVE');
  });

  it('server show by name and by id; unknown is exit 3', async () => {
    const byName = await cli('server', 'show', 'web');
    expect(byName.code).toBe(0);
    expect(byName.json.server).toMatchObject({ id: web.id, name: 'web' });
    expect((await cli('server', 'show', web.id)).json.server.name).toBe('web');
    const nf = await cli('server', 'show', 'nope');
    expect(nf.code).toBe(3);
    expect(nf.json.error.code).toBe('SERVER_NOT_FOUND');
    const human = await runCli(['server', 'show', 'web'], env);
    expect(human.stdout).toMatch(/OS-EXT-STS:vm_state\s+active/);
    expect(human.stdout).toMatch(/image\s+cirros/);
  });

  it.each([
    ['stop', [], ['SHUTOFF', 'stopped', null, 4]],
    ['start', [], ['ACTIVE', 'active', null, 1]],
    ['reboot', [], ['ACTIVE', 'active', null, 1]],
    ['reboot', ['--hard'], ['ACTIVE', 'active', null, 1]],
    ['pause', [], ['PAUSED', 'paused', null, 3]],
    ['unpause', [], ['ACTIVE', 'active', null, 1]],
    ['suspend', [], ['SUSPENDED', 'suspended', null, 7]],
    ['resume', ['--wait'], ['ACTIVE', 'active', null, 1]],
  ])('server %s %j → status, vm_state, task_state, power_state %j', async (verb, flags, want) => {
    const r = await cli('server', verb as string, 'web', ...(flags as string[]));
    expect(r.code).toBe(0);
    expect(states(r.json.server)).toEqual(want);
    expect(states((await cli('server', 'show', 'web')).json.server)).toEqual(want);
  });

  it('an action in the wrong state exits 4 naming the current and the needed states', async () => {
    expect((await cli('server', 'stop', 'web')).code).toBe(0);
    const r = await cli('server', 'stop', 'web');
    expect(r.code).toBe(4);
    expect(r.json.error.code).toBe('INVALID_STATE');
    expect(r.json.error.message).toMatch(/stopped/);
    expect(r.json.error.message).toMatch(/active or error/);
    expect(r.json.error.details).toMatchObject({ vm_state: 'stopped', task_state: null });
    expect((await cli('server', 'pause', 'web')).code).toBe(4);
    expect((await cli('server', 'reboot', 'web')).code).toBe(4);
    expect((await cli('server', 'resume', 'web')).code).toBe(4);
    expect(states((await cli('server', 'start', 'web', '--wait')).json.server)).toEqual(['ACTIVE', 'active', null, 1]);
    expect((await cli('server', 'start', 'web')).code).toBe(4);
    expect((await cli('server', 'stop', 'nope')).code).toBe(3);
  });

  it('lock then stop exits 4; unlock then stop exits 0', async () => {
    const l = await cli('server', 'lock', 'web', '--reason', 'maintenance');
    expect(l.code).toBe(0);
    expect(l.json.server).toMatchObject({ locked: true, locked_reason: 'maintenance' });
    const s = await cli('server', 'stop', 'web');
    expect(s.code).toBe(4);
    expect(s.json.error.code).toBe('SERVER_LOCKED');
    expect(s.json.error.message).toContain('maintenance');
    expect((await cli('server', 'delete', 'web')).code).toBe(4);
    const u = await cli('server', 'unlock', 'web');
    expect(u.json.server).toMatchObject({ locked: false, locked_reason: null });
    const ok = await cli('server', 'stop', 'web');
    expect(ok.code).toBe(0);
    expect(states(ok.json.server)).toEqual(['SHUTOFF', 'stopped', null, 4]);
    expect((await cli('server', 'start', 'web')).code).toBe(0);
  });

  it('console-log returns {output}; --lines 2 the last two lines; human output is the raw log', async () => {
    const all = await cli('server', 'console-log', 'web');
    expect(all.code).toBe(0);
    expect(typeof all.json.output).toBe('string');
    expect(all.json.output.split('\n').length).toBeGreaterThan(3);
    const two = await cli('server', 'console-log', 'web', '--lines', '2');
    expect(two.json.output.replace(/\n$/, '').split('\n')).toHaveLength(2);
    expect(all.json.output.endsWith(two.json.output)).toBe(true);
    expect((await runCli(['server', 'console-log', 'web', '--lines', '2'], env)).stdout).toBe(two.json.output);
    expect((await cli('server', 'console-log', 'web', '--lines', '0')).code).toBe(2);
  });

  it('event list shows the create and stop actions; event show has their events', async () => {
    const r = await cli('server', 'event', 'list', 'web');
    expect(r.code).toBe(0);
    const actions = r.json.instanceActions.map((a: Json) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['create', 'stop', 'start', 'reboot', 'pause', 'lock', 'unlock']));
    expect(actions[actions.length - 1]).toBe('create');
    const create = r.json.instanceActions.find((a: Json) => a.action === 'create');
    expect(create).toMatchObject({ instance_uuid: web.id, request_id: expect.stringMatching(/^req-/), user_id: 'admin' });
    const s = await cli('server', 'event', 'show', 'web', create.request_id);
    expect(s.code).toBe(0);
    expect(s.json.instanceAction).toMatchObject({ action: 'create', request_id: create.request_id });
    expect(s.json.instanceAction.events.map((e: Json) => e.event)).toEqual(expect.arrayContaining(['compute__do_build_and_run_instance']));
    expect(s.json.instanceAction.events.every((e: Json) => e.result === 'Success')).toBe(true);
    expect((await cli('server', 'event', 'show', 'web', 'req-nope')).code).toBe(3);
  });

  it('server set and unset: name, description, properties; nothing to set is exit 2; too many properties exit 5', async () => {
    const s = await cli('server', 'set', 'web', '--name', 'web-01', '--description', 'front end', '--property', 'a=1', '--property', 'b=2');
    expect(s.code).toBe(0);
    expect(s.json.server).toMatchObject({ name: 'web-01', description: 'front end', metadata: { a: '1', b: '2' } });
    const u = await cli('server', 'unset', 'web-01', '--property', 'a', '--property', 'missing', '--description');
    expect(u.code).toBe(0);
    expect(u.json.server).toMatchObject({ metadata: { b: '2' }, description: null });
    expect((await cli('server', 'set', 'web-01')).code).toBe(2);
    expect((await cli('server', 'unset', 'web-01')).code).toBe(2);
    expect((await cli('server', 'set', 'web-01', '--name', 'x'.repeat(256))).code).toBe(2);
    const many = Array.from({ length: 128 }, (_, i) => ['--property', `k${i}=v`]).flat();
    const over = await cli('server', 'set', 'web-01', ...many);
    expect(over.code).toBe(5);
    expect((await cli('server', 'show', 'web-01')).json.server.metadata).toEqual({ b: '2' });
    expect((await cli('server', 'set', 'web-01', '--name', 'web')).code).toBe(0);
  });

  it('server wait: the status it has returns at once; one that never comes exits 8; a bad status exits 2', async () => {
    const ok = await cli('server', 'wait', 'web', '--status', 'ACTIVE');
    expect(ok.code).toBe(0);
    expect(ok.json.server).toMatchObject({ id: web.id, status: 'ACTIVE' });
    expect((await cli('server', 'wait', 'web', '--status', 'shutoff,active')).code).toBe(0);
    const t = await cli('server', 'wait', 'web', '--status', 'SHUTOFF', '--timeout', '1');
    expect(t.code).toBe(8);
    expect(t.json.error.code).toBe('TIMEOUT');
    expect(t.json.error.message).toMatch(/ACTIVE/);
    expect((await cli('server', 'wait', 'web', '--status', 'SLEEPING')).code).toBe(2);
    expect((await cli('server', 'wait', 'web', '--status', 'ACTIVE', '--timeout', '-1')).code).toBe(2);
    expect((await cli('server', 'wait', 'nope', '--status', 'ACTIVE')).code).toBe(3);
  });

  describe('server list', () => {
    let ids: Record<string, string>;
    beforeAll(async () => {
      ids = { web: web.id };
      for (const n of ['db-1', 'db-2']) ids[n] = (await cli('server', 'create', n, '--flavor', 'f1')).json.server.id;
      expect((await cli('server', 'stop', 'db-2')).code).toBe(0);
    });
    const names = (r: Json) => r.json.servers.map((s: Json) => s.name);

    it('lists newest first with the server shape', async () => {
      const r = await cli('server', 'list');
      expect(r.code).toBe(0);
      expect(names(r)).toEqual(['db-2', 'db-1', 'web']);
      expect(r.json.servers[0]).toMatchObject({ id: ids['db-2'], status: 'SHUTOFF', 'OS-EXT-STS:power_state': 4 });
    });

    it('filters: --name regex, --status, --host, --flavor, --image', async () => {
      expect(names(await cli('server', 'list', '--name', '^db-'))).toEqual(['db-2', 'db-1']);
      expect(names(await cli('server', 'list', '--status', 'SHUTOFF'))).toEqual(['db-2']);
      expect(names(await cli('server', 'list', '--status', 'active'))).toEqual(['db-1', 'web']);
      expect(names(await cli('server', 'list', '--host', 'h1'))).toHaveLength(3);
      expect(names(await cli('server', 'list', '--host', 'elsewhere'))).toEqual([]);
      expect(names(await cli('server', 'list', '--flavor', 'f1'))).toHaveLength(3);
      expect(names(await cli('server', 'list', '--image', 'cirros'))).toEqual(['web']);
      expect((await cli('server', 'list', '--status', 'ASLEEP')).code).toBe(2);
      expect((await cli('server', 'list', '--name', '(')).code).toBe(2);
      expect((await cli('server', 'list', '--flavor', 'nope')).code).toBe(3);
    });

    it('sorting and marker paging', async () => {
      expect(names(await cli('server', 'list', '--sort-key', 'display_name', '--sort-dir', 'asc'))).toEqual(['db-1', 'db-2', 'web']);
      const p1 = await cli('server', 'list', '--sort-key', 'display_name', '--sort-dir', 'asc', '--limit', '2');
      expect(names(p1)).toEqual(['db-1', 'db-2']);
      const p2 = await cli('server', 'list', '--sort-key', 'display_name', '--sort-dir', 'asc', '--limit', '2', '--marker', p1.json.servers[1].id);
      expect(names(p2)).toEqual(['web']);
      expect((await cli('server', 'list', '--limit', '0')).code).toBe(2);
      expect((await cli('server', 'list', '--marker', 'nope')).code).toBe(3);
      expect((await cli('server', 'list', '--sort-key', 'color')).code).toBe(2);
    });

    it('--project, --all-projects, --changes-since, --deleted', async () => {
      expect((await cli('project', 'create', 'other')).code).toBe(0);
      const o = (await cli('server', 'create', 'theirs', '--flavor', 'f1', '--project', 'other')).json.server;
      expect(names(await cli('server', 'list'))).not.toContain('theirs');
      expect(names(await cli('server', 'list', '--project', 'other'))).toEqual(['theirs']);
      expect(names(await cli('server', 'list', '--all-projects'))).toEqual(['theirs', 'db-2', 'db-1', 'web']);
      expect((await cli('server', 'list', '--all-projects', '--project', 'other')).code).toBe(2);
      expect((await cli('server', 'list', '--changes-since', '2000-01-01')).json.servers).toHaveLength(3);
      expect((await cli('server', 'list', '--changes-since', '2999-01-01')).json.servers).toEqual([]);
      expect((await cli('server', 'list', '--changes-since', 'someday')).code).toBe(2);
      expect((await cli('server', 'delete', o.id, '--project', 'other')).code).toBe(0);
      const del = await cli('server', 'list', '--project', 'other', '--deleted');
      expect(del.json.servers).toMatchObject([{ id: o.id, status: 'DELETED', 'OS-EXT-STS:vm_state': 'deleted' }]);
      expect(names(await cli('server', 'list', '--project', 'other'))).toEqual([]);
    });

    it('human table: openstack columns, and --long adds host, zone, task and power state', async () => {
      const r = await runCli(['server', 'list'], env);
      expect(r.stdout.split('\n')[0].split(/\s{2,}/)).toEqual(['ID', 'Name', 'Status', 'Networks', 'Image', 'Flavor']);
      expect(r.stdout).toMatch(/web\s+ACTIVE\s+cirros\s+f1/);
      const l = await runCli(['server', 'list', '--long'], env);
      expect(l.stdout.split('\n')[0]).toMatch(/Host\s+Availability Zone\s+Task State\s+Power State/);
      expect(l.stdout).toMatch(/db-2\s+SHUTOFF.*h1.*Shutdown/);
    });
  });

  describe('server delete', () => {
    it('deletes several at once → {deleted}; --wait waits for DELETED; the host and quota are freed', async () => {
      const a = (await cli('server', 'create', 'del-a', '--flavor', 'f1')).json.server;
      const b = (await cli('server', 'create', 'del-b', '--flavor', 'f1')).json.server;
      const before = (await cli('host', 'show', 'h1')).json.host.memory_mb_used;
      const r = await cli('server', 'delete', 'del-a', b.id, '--wait');
      expect(r.code).toBe(0);
      expect(r.json.deleted.map((s: Json) => s.id)).toEqual([a.id, b.id]);
      expect(r.json.deleted[0]).toMatchObject({ status: 'DELETED', 'OS-EXT-STS:vm_state': 'deleted' });
      expect((await cli('server', 'show', a.id)).code).toBe(3);
      expect((await cli('host', 'show', 'h1')).json.host.memory_mb_used).toBe(before - 2048);
      const w = await cli('server', 'wait', a.id, '--status', 'DELETED');
      expect(w.code).toBe(0);
      expect(w.json).toEqual({ server: null });
      const ev = await cli('server', 'event', 'list', a.id);
      expect(ev.json.instanceActions.map((x: Json) => x.action)).toEqual(['delete', 'create']);
    });

    it('an unknown server among several deletes none (exit 3)', async () => {
      const a = (await cli('server', 'create', 'keep', '--flavor', 'f1')).json.server;
      const r = await cli('server', 'delete', 'keep', 'nope');
      expect(r.code).toBe(3);
      expect((await cli('server', 'show', a.id)).json.server.status).toBe('ACTIVE');
      expect((await cli('server', 'delete', 'keep', '--force')).code).toBe(0);
    });

    it('one locked server among several: the others go, exit 4 names what failed', async () => {
      const a = (await cli('server', 'create', 'l-a', '--flavor', 'f1')).json.server;
      const b = (await cli('server', 'create', 'l-b', '--flavor', 'f1')).json.server;
      expect((await cli('server', 'lock', 'l-a')).code).toBe(0);
      const r = await cli('server', 'delete', 'l-a', 'l-b');
      expect(r.code).toBe(4);
      expect(r.json.error.message).toMatch(/1 of 2 servers could not be deleted/);
      expect(r.json.error.details).toEqual({ deleted: [b.id], failed: [{ server: a.id, message: expect.stringMatching(/locked/) }] });
      expect((await cli('server', 'unlock', 'l-a')).code).toBe(0);
      expect((await cli('server', 'delete', 'l-a')).code).toBe(0);
    });

    it('without a TTY it never prompts', async () => {
      expect((await cli('server', 'create', 'quiet', '--flavor', 'f1')).code).toBe(0);
      const r = await runCli(['server', 'delete', 'quiet'], env);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Deleted server quiet/);
    });
  });
});
