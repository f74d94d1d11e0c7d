/** `flavor create/list/show/set/unset/delete`: --json shapes (Compute API flavor), exit codes, error paths. */
import { runCli, setupEnv } from '../helpers/cli';

jest.setTimeout(60000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const names = (r: { json: { flavors: Array<{ name: string }> } }) => r.json.flavors.map((f) => f.name).sort();

describe('flavor commands', () => {
  let env: Record<string, string>;
  const cli = (...argv: string[]) => runCli([...argv, '--json'], env);

  beforeAll(async () => {
    env = await setupEnv();
  });

  it('flavor create returns the Compute API flavor object', async () => {
    const r = await cli('flavor', 'create', 'm1.small', '--id', '2', '--vcpus', '1', '--ram', '2048', '--disk', '20', '--ephemeral', '5',
      '--swap', '512', '--property', 'hw:cpu_policy=dedicated', '--property', 'quota:x=a=b', '--description', 'small one', '--rxtx-factor', '2.5');
    expect(r.code).toBe(0);
    expect(r.json).toEqual({
      flavor: {
        id: '2', name: 'm1.small', ram: 2048, vcpus: 1, disk: 20, 'OS-FLV-EXT-DATA:ephemeral': 5, swap: 512, rxtx_factor: 2.5,
        'os-flavor-access:is_public': true, 'OS-FLV-DISABLED:disabled': false, description: 'small one',
        extra_specs: { 'hw:cpu_policy': 'dedicated', 'quota:x': 'a=b' },
      },
      flavor_access: [],
    });
  });

  it('defaults: a generated UUID id, swap 0 (a number), ephemeral 0, rxtx 1.0, public, no description', async () => {
    const r = await cli('flavor', 'create', 'm1.tiny', '--vcpus', '1', '--ram', '512', '--disk', '1');
    expect(r.code).toBe(0);
    expect(r.json.flavor).toMatchObject({ id: expect.stringMatching(UUID), swap: 0, 'OS-FLV-EXT-DATA:ephemeral': 0, rxtx_factor: 1,
      'os-flavor-access:is_public': true, description: null, extra_specs: {} });
  });

  it.each([
    ['--vcpus -1', ['--vcpus', '-1', '--ram', '512', '--disk', '1']],
    ['--vcpus 0', ['--vcpus', '0', '--ram', '512', '--disk', '1']],
    ['--ram 999999999999', ['--vcpus', '1', '--ram', '999999999999', '--disk', '1']],
    ['--ram -512', ['--vcpus', '1', '--ram', '-512', '--disk', '1']],
    ['--disk -1', ['--vcpus', '1', '--ram', '512', '--disk', '-1']],
    ['--disk 99999999999', ['--vcpus', '1', '--ram', '512', '--disk', '99999999999']],
    ['--ephemeral -1', ['--vcpus', '1', '--ram', '512', '--disk', '1', '--ephemeral', '-1']],
    ['--swap -1', ['--vcpus', '1', '--ram', '512', '--disk', '1', '--swap', '-1']],
    ['--vcpus 1.5', ['--vcpus', '1.5', '--ram', '512', '--disk', '1']],
    ['--rxtx-factor 0', ['--vcpus', '1', '--ram', '512', '--disk', '1', '--rxtx-factor', '0']],
    ['--rxtx-factor fast', ['--vcpus', '1', '--ram', '512', '--disk', '1', '--rxtx-factor', 'fast']],
    ['--property novalue', ['--vcpus', '1', '--ram', '512', '--disk', '1', '--property', 'novalue']],
    ['--property =v', ['--vcpus', '1', '--ram', '512', '--disk', '1', '--property', '=v']],
    ['--private with --public', ['--vcpus', '1', '--ram', '512', '--disk', '1', '--private', '--public']],
    ['--project without --private', ['--vcpus', '1', '--ram', '512', '--disk', '1', '--project', 'p1']],
    ['a bad --id', ['--vcpus', '1', '--ram', '512', '--disk', '1', '--id', 'a/b']],
    ['no --ram', ['--vcpus', '1', '--disk', '1']],
  ])('flavor create with %s exits 2 and creates nothing', async (_what, flags) => {
    const r = await cli('flavor', 'create', 'bad', ...flags);
    expect(r.code).toBe(2);
    expect(r.json.error).toHaveProperty('message');
    expect((await cli('flavor', 'show', 'bad')).code).toBe(3);
  });

  it('a duplicate name or id exits 4', async () => {
    const n = await cli('flavor', 'create', 'm1.small', '--vcpus', '1', '--ram', '512', '--disk', '1');
    expect(n.code).toBe(4);
    expect(n.json.error.code).toBe('FLAVOR_EXISTS');
    expect((await cli('flavor', 'create', 'other', '--id', '2', '--vcpus', '1', '--ram', '512', '--disk', '1')).code).toBe(4);
  });

  it('--private plus --project on create, then set --project adds access', async () => {
    const c = await cli('flavor', 'create', 'secret', '--id', 's1', '--vcpus', '2', '--ram', '1024', '--disk', '10', '--private', '--project', 'p1');
    expect(c.code).toBe(0);
    expect(c.json.flavor['os-flavor-access:is_public']).toBe(false);
    expect(c.json.flavor_access).toEqual([{ flavor_id: 's1', tenant_id: 'p1' }]);
    const s = await cli('flavor', 'set', 'secret', '--project', 'p2');
    expect(s.code).toBe(0);
    expect(s.json.flavor_access).toEqual([{ flavor_id: 's1', tenant_id: 'p1' }, { flavor_id: 's1', tenant_id: 'p2' }]);
    expect((await cli('flavor', 'show', 's1')).json.flavor_access.map((a: { tenant_id: string }) => a.tenant_id)).toEqual(['p1', 'p2']);
    const u = await cli('flavor', 'unset', 'secret', '--project', 'p1');
    expect(u.code).toBe(0);
    expect(u.json.flavor_access).toEqual([{ flavor_id: 's1', tenant_id: 'p2' }]);
    expect((await cli('flavor', 'unset', 'secret', '--project', 'p1')).code).toBe(3);
  });

  it('set --project on a public flavor exits 4', async () => {
    const r = await cli('flavor', 'set', 'm1.small', '--project', 'p1');
    expect(r.code).toBe(4);
    expect((await cli('flavor', 'show', 'm1.small')).json.flavor_access).toEqual([]);
  });

  it('flavor list: public by default, --public, --private, --all', async () => {
    const d = await cli('flavor', 'list');
    expect(d.code).toBe(0);
    expect(Object.keys(d.json)).toEqual(['flavors']);
    expect(names(d)).toEqual(['m1.small', 'm1.tiny']);
    expect(names(await cli('flavor', 'list', '--public'))).toEqual(['m1.small', 'm1.tiny']);
    expect(names(await cli('flavor', 'list', '--private'))).toEqual(['secret']);
    const all = await cli('flavor', 'list', '--all');
    expect(names(all)).toEqual(['m1.small', 'm1.tiny', 'secret']);
    expect(all.json.flavors.find((f: { id: string }) => f.id === '2')).toEqual((await cli('flavor', 'show', '2')).json.flavor);
    expect((await cli('flavor', 'list', '--all', '--private')).code).toBe(2);
  });

  it('flavor show finds by id and by name; unknown exits 3', async () => {
    const byId = await cli('flavor', 'show', '2');
    const byName = await cli('flavor', 'show', 'm1.small');
    expect(byId.code).toBe(0);
    expect(byName.json).toEqual(byId.json);
    const nf = await cli('flavor', 'show', 'm9.huge');
    expect(nf.code).toBe(3);
    expect(nf.json.error.code).toBe('FLAVOR_NOT_FOUND');
  });

  it('flavor set --property/--description, --no-property, and unset --property', async () => {
    const s = await cli('flavor', 'set', 'm1.small', '--property', 'hw:cpu_policy=shared', '--property', 'k=v', '--description', 'changed');
    expect(s.code).toBe(0);
    expect(s.json.flavor).toMatchObject({ description: 'changed', extra_specs: { 'hw:cpu_policy': 'shared', 'quota:x': 'a=b', k: 'v' } });
    const u = await cli('flavor', 'unset', 'm1.small', '--property', 'k', '--property', 'quota:x');
    expect(u.code).toBe(0);
    expect(u.json.flavor.extra_specs).toEqual({ 'hw:cpu_policy': 'shared' });
    const missing = await cli('flavor', 'unset', 'm1.small', '--property', 'nope');
    expect(missing.code).toBe(3);
    const np = await cli('flavor', 'set', 'm1.small', '--no-property', '--property', 'only=this');
    expect(np.code).toBe(0);
    expect(np.json.flavor.extra_specs).toEqual({ only: 'this' });
    expect((await cli('flavor', 'set', 'm1.small', '--property', 'novalue')).code).toBe(2);
    expect((await cli('flavor', 'show', 'm1.small')).json.flavor.extra_specs).toEqual({ only: 'this' });
  });

  it('set/unset of an unknown flavor exit 3', async () => {
    expect((await cli('flavor', 'set', 'ghost', '--property', 'a=b')).code).toBe(3);
    expect((await cli('flavor', 'unset', 'ghost', '--property', 'a')).code).toBe(3);
  });

  it('flavor delete returns {deleted}; afterwards and for unknown flavors exit 3', async () => {
    const r = await cli('flavor', 'delete', 'm1.tiny');
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ deleted: expect.objectContaining({ name: 'm1.tiny', ram: 512 }) });
    expect((await cli('flavor', 'show', 'm1.tiny')).code).toBe(3);
    expect((await cli('flavor', 'delete', 'm1.tiny')).code).toBe(3);
    expect(names(await cli('flavor', 'list', '--all'))).toEqual(['m1.small', 'secret']);
  });

  it('human output: list is a table, show prints properties and access', async () => {
    const l = await runCli(['flavor', 'list', '--all', '--long'], env);
    expect(l.code).toBe(0);
    expect(l.stdout.split('\n')[0]).toMatch(/^ID\s+Name\s+RAM\s+Disk\s+Ephemeral\s+VCPUs\s+Is Public\s+Swap\s+RXTX Factor/);
    expect(l.stdout).toMatch(/^2\s+m1\.small\s+2048\s+20\s+5\s+1\s+true\s+512\s+2\.5\b.*only='this'/m);
    const s = await runCli(['flavor', 'show', 'secret'], env);
    expect(s.stdout).toMatch(/^access_project_ids\s+p2$/m);
  });
});
