/** `host add/list/show/enable/disable/remove`: --json shapes, exit codes and error paths. */
import { runCli, setupEnv } from '../helpers/cli';

jest.setTimeout(60000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SIZE = ['--driver', 'fake', '--vcpus', '8', '--memory-mb', '16384', '--disk-gb', '200'];

describe('host commands', () => {
  let env: Record<string, string>;
  const cli = (...argv: string[]) => runCli([...argv, '--json'], env);

  beforeAll(async () => {
    env = await setupEnv();
  });

  it('host add returns a hypervisor-like host with its driver config and ratios', async () => {
    const r = await cli('host', 'add', 'h1', ...SIZE, '--host-ip', '10.0.0.1', '--cpu-allocation-ratio', '4.5', '--ram-allocation-ratio', '1.5',
      '--disk-allocation-ratio', '1', '--fake-spawn-seconds', '0.5', '--fake-fail', 'spawn', '--fake-fail', 'reboot');
    expect(r.code).toBe(0);
    expect(r.json).toEqual({
      host: {
        id: expect.stringMatching(UUID), name: 'h1', host: 'h1', hypervisor_hostname: 'h1', hypervisor_type: 'fake', hypervisor_version: 1000,
        host_ip: '10.0.0.1', state: 'up', status: 'enabled', disabled_reason: null,
        vcpus: 8, vcpus_used: 0, memory_mb: 16384, memory_mb_used: 0, local_gb: 200, local_gb_used: 0, running_vms: 0,
        availability_zone: 'nova', cell: 'cell1', cell_uuid: expect.stringMatching(UUID), driver: 'fake',
        driver_config: { spawnSeconds: 0.5, fail: ['spawn', 'reboot'] },
        cpu_allocation_ratio: 4.5, ram_allocation_ratio: 1.5, disk_allocation_ratio: 1,
        last_seen_up: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), unreachable_since: null, last_error: null,
      },
    });
  });

  it('host add without fake flags stores an empty fail list and null ratios', async () => {
    const r = await cli('host', 'add', 'h2', ...SIZE, '--cell', 'cell1');
    expect(r.code).toBe(0);
    expect(r.json.host).toMatchObject({ name: 'h2', cell: 'cell1', driver_config: { fail: [] }, cpu_allocation_ratio: null, host_ip: null });
    expect(r.json.host.driver_config).not.toHaveProperty('spawnSeconds');
  });

  it('a host added twice exits 4', async () => {
    const r = await cli('host', 'add', 'h1', ...SIZE);
    expect(r.code).toBe(4);
    expect(r.json.error.code).toBe('HOST_EXISTS');
  });

  it.each([
    ['a negative vcpus count', ['--driver', 'fake', '--vcpus', '-1', '--memory-mb', '1024', '--disk-gb', '10']],
    ['zero memory', ['--driver', 'fake', '--vcpus', '1', '--memory-mb', '0', '--disk-gb', '10']],
    ['a fractional vcpus count', ['--driver', 'fake', '--vcpus', '1.5', '--memory-mb', '1024', '--disk-gb', '10']],
    ['a missing --vcpus', ['--driver', 'fake', '--memory-mb', '1024', '--disk-gb', '10']],
    ['an unsupported driver', ['--driver', 'vmware', '--vcpus', '1', '--memory-mb', '1024', '--disk-gb', '10']],
    ['a bad host IP', [...SIZE, '--host-ip', '10.0.0.300']],
    ['a ratio that is not a number', [...SIZE, '--cpu-allocation-ratio', 'lots']],
    ['a zero ratio', [...SIZE, '--ram-allocation-ratio', '0']],
    ['a negative spawn time', [...SIZE, '--fake-spawn-seconds', '-2']],
    ['cell0 as the cell', [...SIZE, '--cell', 'cell0']],
  ])('host add with %s exits 2 and adds nothing', async (_what, flags) => {
    const r = await cli('host', 'add', 'bad-host', ...flags);
    expect(r.code).toBe(2);
    expect(r.json.error.code).toEqual(expect.any(String));
    expect((await cli('host', 'show', 'bad-host')).code).toBe(3);
  });

  it('host add with an invalid name exits 2, into an unknown cell 3', async () => {
    expect((await cli('host', 'add', 'bad name!', ...SIZE)).code).toBe(2);
    const r = await cli('host', 'add', 'h9', ...SIZE, '--cell', 'nowhere');
    expect(r.code).toBe(3);
    expect(r.json.error.code).toBe('CELL_NOT_FOUND');
  });

  it('host list returns {hosts} and filters by cell', async () => {
    const r = await cli('host', 'list');
    expect(r.code).toBe(0);
    expect(r.json.hosts.map((h: { name: string }) => h.name)).toEqual(['h1', 'h2']);
    const c = await cli('host', 'list', '--cell', 'cell1');
    expect(c.json.hosts).toHaveLength(2);
    expect((await cli('host', 'list', '--cell', 'cell0')).json).toEqual({ hosts: [] });
    expect((await cli('host', 'list', '--cell', 'nope')).code).toBe(3);
  });

  it('host show returns {host}; an unknown host exits 3', async () => {
    const r = await cli('host', 'show', 'h2');
    expect(r.code).toBe(0);
    expect(r.json.host).toMatchObject({ name: 'h2', state: 'up', status: 'enabled' });
    const nf = await cli('host', 'show', 'ghost');
    expect(nf.code).toBe(3);
    expect(nf.json.error.code).toBe('HOST_NOT_FOUND');
  });

  it('host disable --reason, then list shows it disabled; enable clears it', async () => {
    const d = await cli('host', 'disable', 'h2', '--reason', 'x');
    expect(d.code).toBe(0);
    expect(d.json.host).toMatchObject({ name: 'h2', status: 'disabled', disabled_reason: 'x', state: 'up' });
    const l = await cli('host', 'list');
    expect(l.json.hosts.find((h: { name: string }) => h.name === 'h2')).toMatchObject({ status: 'disabled', disabled_reason: 'x' });
    expect(l.json.hosts.find((h: { name: string }) => h.name === 'h1')).toMatchObject({ status: 'enabled', disabled_reason: null });
    const human = await runCli(['host', 'list', '--long'], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^h2\s.*\bdisabled\b.*\bx\b/m);
    const e = await cli('host', 'enable', 'h2');
    expect(e.code).toBe(0);
    expect(e.json.host).toMatchObject({ status: 'enabled', disabled_reason: null });
  });

  it('host enable/disable of an unknown host exit 3', async () => {
    expect((await cli('host', 'disable', 'ghost', '--reason', 'x')).code).toBe(3);
    expect((await cli('host', 'enable', 'ghost')).code).toBe(3);
  });

  it('host remove returns {deleted}, forgets the host and its aggregates, and the name can be reused', async () => {
    expect((await cli('host', 'add', 'h3', ...SIZE, '--az', 'az-r')).code).toBe(0);
    const r = await cli('host', 'remove', 'h3');
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ deleted: expect.objectContaining({ name: 'h3', availability_zone: 'az-r' }) });
    expect((await cli('host', 'show', 'h3')).code).toBe(3);
    expect((await cli('aggregate', 'show', 'az-r')).json.aggregate.hosts).toEqual([]);
    expect((await cli('host', 'remove', 'h3')).code).toBe(3);
    const again = await cli('host', 'add', 'h3', ...SIZE);
    expect(again.code).toBe(0);
    expect(again.json.host.id).not.toBe(r.json.deleted.id);
    expect(again.json.host.availability_zone).toBe('nova');
  });

  it('human output: show prints key/values, list a table', async () => {
    const s = await runCli(['host', 'show', 'h1'], env);
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/^hypervisor_type\s+fake$/m);
    const l = await runCli(['host', 'list'], env);
    expect(l.stdout.split('\n')[0]).toMatch(/^Name\s+Cell\s+Zone\s+State\s+Status/);
    expect(l.stdout).toMatch(/^h1\s+cell1\s+nova\s+up\s+enabled\s+0\/8\s+0\/16384\s+0\/200$/m);
  });
});
