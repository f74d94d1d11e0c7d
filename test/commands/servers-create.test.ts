/**
 * `server create`: the --json shapes (one server, several), --wait, --dry-run, idempotent create,
 * and the error paths, each leaving nothing behind (no server, no host usage, no quota usage).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, serverCloud } from '../helpers/cli';

jest.setTimeout(120000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const cloud = serverCloud;

describe('server create', () => {
  let env: Record<string, string>;
  const cli = (...argv: string[]) => runCli([...argv, '--json'], env);
  const servers = async () => (await cli('server', 'list')).json.servers as Array<Record<string, any>>;
  const memoryUsed = async () => (await cli('host', 'show', 'h1')).json.host.memory_mb_used as number;
  const inUse = async () => (await cli('quota', 'show')).json.quota_set.in_use as Record<string, number>;
  /** Nothing left behind: no server, nothing claimed on the host, no quota used. */
  const nothingLeft = async () => {
    expect(await servers()).toEqual([]);
    expect(await memoryUsed()).toBe(0);
    expect(await inUse()).toMatchObject({ instances: 0, cores: 0, ram: 0 });
  };
  const deleteAll = async () => {
    const ids = (await servers()).map((s) => s.id);
    if (ids.length) expect((await cli('server', 'delete', ...ids)).code).toBe(0);
  };

  beforeAll(async () => {
    env = await cloud();
    expect((await cli('flavor', 'create', 'huge', '--vcpus', '1', '--ram', '1024', '--disk', '500')).code).toBe(0);
  });
  afterEach(deleteAll);

  it('creates an ACTIVE server and returns {server} with the Compute API shape and OS-EXT-STS states', async () => {
    const r = await cli('server', 'create', 'web1', '--flavor', 'f1', '--image', 'cirros', '--property', 'role=web',
      '--description', 'front', '--config-drive', '--network', 'none');
    expect(r.code).toBe(0);
    expect(r.json.server).toMatchObject({
      id: expect.stringMatching(UUID), name: 'web1', status: 'ACTIVE', metadata: { role: 'web' }, description: 'front',
      flavor: { original_name: 'f1', vcpus: 1, ram: 1024, disk: 10 }, image: { id: expect.stringMatching(UUID) }, config_drive: 'True',
      'OS-EXT-SRV-ATTR:host': 'h1', 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:task_state': null, 'OS-EXT-STS:power_state': 1, locked: false,
    });
    expect(r.json.server.fault).toBeUndefined();
    expect(await memoryUsed()).toBe(1024);
    expect(await inUse()).toMatchObject({ instances: 1, cores: 1, ram: 1024 });
  });

  it('--wait returns once ACTIVE; --user-data is read from a file', async () => {
    const ud = path.join(env.HOME, 'user-data.yaml');
    fs.writeFileSync(ud, '#cloud-config\npackages: [nginx]\n');
    const r = await cli('server', 'create', 'w', '--flavor', 'f1', '--image', 'cirros', '--user-data', ud, '--wait', '--timeout', '30');
    expect(r.code).toBe(0);
    expect(r.json.server).toMatchObject({ status: 'ACTIVE', 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:power_state': 1 });
  });

  it('--max 3 returns {servers} named NAME-1..3; --json prints one document', async () => {
    const r = await cli('server', 'create', 'batch', '--flavor', 'f1', '--image', 'cirros', '--min', '2', '--max', '3', '--wait');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.json.servers.map((s: { name: string }) => s.name).sort()).toEqual(['batch-1', 'batch-2', 'batch-3']);
    expect(r.json.servers.every((s: { status: string }) => s.status === 'ACTIVE')).toBe(true);
    expect(await inUse()).toMatchObject({ instances: 3, cores: 3, ram: 3072 });
  });

  it('boots without an image when none is given and there is no TTY', async () => {
    const r = await cli('server', 'create', 'noimg', '--flavor', 'f1');
    expect(r.code).toBe(0);
    expect(r.json.server.image).toBe('');
  });

  it('without a TTY a missing --flavor is exit 2 naming the flag (no prompt)', async () => {
    const r = await cli('server', 'create', 'x', '--image', 'cirros');
    expect(r.code).toBe(2);
    expect(r.json.error.message).toContain('--flavor');
    await nothingLeft();
  });

  it.each([
    ['an unknown flavor', 3, 'FLAVOR_NOT_FOUND', ['--flavor', 'nope']],
    ['an unknown image', 3, 'IMAGE_NOT_FOUND', ['--flavor', 'f1', '--image', 'nope']],
    ['an unknown keypair', 3, undefined, ['--flavor', 'f1', '--key-name', 'nope']],
    ['an unknown server group', 3, undefined, ['--flavor', 'f1', '--group', 'nope']],
    ['--min above --max', 2, undefined, ['--flavor', 'f1', '--min', '3', '--max', '2']],
    ['a bad --hint', 2, undefined, ['--flavor', 'f1', '--hint', 'novalue']],
    ['a bad --property', 2, undefined, ['--flavor', 'f1', '--property', '=v']],
    ['a missing --user-data file', 2, undefined, ['--flavor', 'f1', '--user-data', '/nonexistent/ud']],
    ['--wait --timeout 0', 2, undefined, ['--flavor', 'f1', '--wait', '--timeout', '0']],
    ['--max 11 (over the instances quota of 10)', 5, 'QUOTA_EXCEEDED', ['--flavor', 'f1', '--max', '11']],
    ['129 properties (metadata_items quota 128)', 5, 'QUOTA_EXCEEDED', ['--flavor', 'f1', ...Array.from({ length: 129 }, (_, i) => ['--property', `k${i}=v`]).flat()]],
  ])('%s exits %i and leaves nothing behind', async (_what, code, errCode, flags) => {
    const r = await cli('server', 'create', 'bad', ...(flags as string[]));
    expect(r.code).toBe(code);
    if (errCode) expect(r.json.error.code).toBe(errCode);
    expect(r.json.error.message).toBeTruthy();
    await nothingLeft();
  });

  it('a name over 255 characters exits 2 and creates nothing', async () => {
    const r = await cli('server', 'create', 'a'.repeat(256), '--flavor', 'f1');
    expect(r.code).toBe(2);
    expect(r.json.error.message).toMatch(/255/);
    await nothingLeft();
  });

  it('128 properties are fine (the quota is inclusive)', async () => {
    const props = Array.from({ length: 128 }, (_, i) => ['--property', `k${i}=v`]).flat();
    const r = await cli('server', 'create', 'meta', '--flavor', 'f1', ...props);
    expect(r.code).toBe(0);
    expect(Object.keys(r.json.server.metadata)).toHaveLength(128);
  });

  it('no valid host: the server ends ERROR in cell0, --wait exits 5 with the explanation, show has the fault', async () => {
    const r = await cli('server', 'create', 'big', '--flavor', 'huge', '--wait');
    expect(r.code).toBe(5);
    expect(r.json.error.code).toBe('NO_VALID_HOST');
    expect(r.json.error.message).toMatch(/No valid host/);
    expect(r.json.error.message).toMatch(/500 GB/);
    const s = await cli('server', 'show', 'big');
    expect(s.code).toBe(0);
    expect(s.json.server).toMatchObject({ status: 'ERROR', 'OS-EXT-STS:vm_state': 'error', 'OS-EXT-STS:task_state': null,
      'OS-EXT-STS:power_state': 0, 'OS-EXT-SRV-ATTR:host': null, fault: { code: 500, message: expect.stringMatching(/No valid host/) } });
    expect(await memoryUsed()).toBe(0);
    const human = await runCli(['server', 'show', 'big'], env);
    expect(human.stdout).toMatch(/fault\s+No valid host/);
    // Without --wait the ERROR server is returned as it is, exit 0.
    const nw = await cli('server', 'create', 'big2', '--flavor', 'huge');
    expect(nw.code).toBe(0);
    expect(nw.json.server.status).toBe('ERROR');
    await deleteAll();
    await nothingLeft();
  });

  it('--dry-run explains without creating: exit 0 when a host fits, 5 when none does', async () => {
    const ok = await cli('server', 'create', 'dry', '--flavor', 'f1', '--image', 'cirros', '--dry-run');
    expect(ok.code).toBe(0);
    expect(ok.json.selected).toMatchObject({ host: 'h1' });
    expect(ok.json.filters.length).toBeGreaterThan(0);
    const no = await cli('server', 'create', 'dry', '--flavor', 'huge', '--dry-run');
    expect(no.code).toBe(5);
    expect(no.json.selected).toBeNull();
    expect(no.json.message).toMatch(/No valid host/);
    const human = await runCli(['server', 'create', 'dry', '--flavor', 'f1', '--dry-run'], env);
    expect(human.stdout).toMatch(/Would be placed on h1/);
    await nothingLeft();
  });

  it('--idempotency-key twice returns the same server; one exists', async () => {
    const a = await cli('server', 'create', 'ci-42', '--flavor', 'f1', '--idempotency-key', 'k-42', '--wait');
    const b = await cli('server', 'create', 'ci-42', '--flavor', 'f1', '--idempotency-key', 'k-42', '--wait');
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(b.json.server.id).toBe(a.json.server.id);
    expect((await servers()).map((s) => s.id)).toEqual([a.json.server.id]);
    expect(await inUse()).toMatchObject({ instances: 1 });
    expect((await cli('server', 'delete', a.json.server.id)).code).toBe(0);
    const c = await cli('server', 'create', 'ci-42', '--flavor', 'f1', '--idempotency-key', 'k-42');
    expect(c.code).toBe(4);
    expect(c.json.error.code).toBe('IDEMPOTENCY_KEY_USED');
    expect(await servers()).toEqual([]);
  });

  it('--if-not-exists returns the server of that name instead of a twin', async () => {
    const a = await cli('server', 'create', 'solo', '--flavor', 'f1');
    const b = await cli('server', 'create', 'solo', '--flavor', 'f1', '--if-not-exists');
    expect(b.code).toBe(0);
    expect(b.json.server.id).toBe(a.json.server.id);
    expect(await servers()).toHaveLength(1);
  });

  it('--project creates in that project; other projects do not see it', async () => {
    expect((await cli('project', 'create', 'demo')).code).toBe(0);
    const r = await cli('server', 'create', 'dweb', '--flavor', 'f1', '--project', 'demo');
    expect(r.code).toBe(0);
    const demo = (await cli('project', 'show', 'demo')).json.project.id;
    expect(r.json.server.tenant_id).toBe(demo);
    expect(await servers()).toEqual([]);
    expect((await cli('server', 'show', 'dweb')).code).toBe(3);
    expect((await cli('server', 'show', 'dweb', '--project', 'demo')).code).toBe(0);
    expect((await cli('server', 'delete', 'dweb', '--project', 'demo')).code).toBe(0);
    expect((await cli('server', 'create', 'x', '--flavor', 'f1', '--project', 'nope')).code).toBe(3);
  });

  it('a slow host with --wait --timeout 1 exits 8 naming the state; the build still ends ACTIVE', async () => {
    expect((await cli('host', 'add', 'slow', '--driver', 'fake', '--vcpus', '8', '--memory-mb', '16896', '--disk-gb', '200', '--fake-spawn-seconds', '3')).code).toBe(0);
    const t0 = Date.now();
    const r = await cli('server', 'create', 'slowpoke', '--flavor', 'f1', '--host', 'slow', '--wait', '--timeout', '1');
    expect(r.code).toBe(8);
    expect(r.json.error).toMatchObject({ code: 'TIMEOUT', details: { status: 'BUILD', step: 'spawning' } });
    expect(r.json.error.message).toMatch(/Timed out after 1 s .* BUILD/);
    expect(r.json.error.hint).toMatch(/compute__do_build_and_run_instance/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    const s = await cli('server', 'show', 'slowpoke');
    expect(s.json.server).toMatchObject({ status: 'ACTIVE', 'OS-EXT-SRV-ATTR:host': 'slow', 'OS-EXT-STS:task_state': null });
  });
});
