/**
 * `aggregate create/list/show/set/unset/delete/add-host/remove-host` and `availability-zone list`:
 * --json shapes (Compute API aggregate, os-availability-zone detail), exit codes, AZ rules.
 */
import { runCli, setupEnv } from '../helpers/cli';

jest.setTimeout(60000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const SIZE = ['--driver', 'fake', '--vcpus', '8', '--memory-mb', '16384', '--disk-gb', '200'];

describe('aggregate and availability-zone commands', () => {
  let env: Record<string, string>;
  const cli = (...argv: string[]) => runCli([...argv, '--json'], env);
  const zones = async () => {
    const r = await cli('availability-zone', 'list');
    expect(r.code).toBe(0);
    return Object.fromEntries(r.json.availability_zones.map((z: { zoneName: string }) => [z.zoneName, z]));
  };

  beforeAll(async () => {
    env = await setupEnv();
  });

  it('host add --az creates the AZ aggregate, a second host joins it, and availability-zone list shows them', async () => {
    expect((await cli('host', 'add', 'h1', ...SIZE, '--az', 'az1')).json.host.availability_zone).toBe('az1');
    expect((await cli('host', 'add', 'h2', ...SIZE, '--az', 'az1')).code).toBe(0);
    expect((await cli('host', 'add', 'h3', ...SIZE)).json.host.availability_zone).toBe('nova');
    const agg = await cli('aggregate', 'show', 'az1');
    expect(agg.code).toBe(0);
    expect(agg.json.aggregate).toMatchObject({ name: 'az1', availability_zone: 'az1', hosts: ['h1', 'h2'], metadata: { availability_zone: 'az1' } });
    expect((await cli('aggregate', 'list')).json.aggregates).toHaveLength(1);
    const r = await cli('availability-zone', 'list');
    expect(r.json).toEqual({
      availability_zones: [
        {
          zoneName: 'az1', zoneState: { available: true },
          hosts: {
            h1: { 'nova-compute': { available: true, active: true, updated_at: expect.stringMatching(ISO) } },
            h2: { 'nova-compute': { available: true, active: true, updated_at: expect.stringMatching(ISO) } },
          },
        },
        { zoneName: 'nova', zoneState: { available: true }, hosts: { h3: { 'nova-compute': { available: true, active: true, updated_at: expect.stringMatching(ISO) } } } },
      ],
    });
  });

  it('aggregate create returns the Compute API aggregate object', async () => {
    const r = await cli('aggregate', 'create', 'fast', '--property', 'ssd=true', '--property', 'tier=gold');
    expect(r.code).toBe(0);
    expect(r.json).toEqual({
      aggregate: {
        id: expect.any(Number), uuid: expect.stringMatching(UUID), name: 'fast', availability_zone: null, hosts: [],
        metadata: { ssd: 'true', tier: 'gold' }, created_at: expect.stringMatching(ISO), updated_at: null, deleted: false, deleted_at: null,
      },
    });
  });

  it('aggregate create: duplicate name exits 4, --property novalue and an empty name exit 2', async () => {
    const d = await cli('aggregate', 'create', 'fast');
    expect(d.code).toBe(4);
    expect(d.json.error.code).toBe('AGGREGATE_EXISTS');
    expect((await cli('aggregate', 'create', 'bad', '--property', 'novalue')).code).toBe(2);
    expect((await cli('aggregate', 'create', ' ')).code).toBe(2);
    expect((await cli('aggregate', 'show', 'bad')).code).toBe(3);
  });

  it('aggregate show by name, uuid and id; unknown exits 3', async () => {
    const byName = await cli('aggregate', 'show', 'fast');
    expect((await cli('aggregate', 'show', byName.json.aggregate.uuid)).json).toEqual(byName.json);
    expect((await cli('aggregate', 'show', String(byName.json.aggregate.id))).json).toEqual(byName.json);
    const nf = await cli('aggregate', 'show', 'nope');
    expect(nf.code).toBe(3);
    expect(nf.json.error.code).toBe('AGGREGATE_NOT_FOUND');
  });

  it('aggregate list returns {aggregates}', async () => {
    const r = await cli('aggregate', 'list');
    expect(r.code).toBe(0);
    expect(Object.keys(r.json)).toEqual(['aggregates']);
    expect(r.json.aggregates.map((a: { name: string }) => a.name)).toEqual(['az1', 'fast']);
  });

  it('aggregate add-host and its refusals', async () => {
    const r = await cli('aggregate', 'add-host', 'fast', 'h1');
    expect(r.code).toBe(0);
    expect(r.json.aggregate).toMatchObject({ name: 'fast', hosts: ['h1'] });
    const again = await cli('aggregate', 'add-host', 'fast', 'h1');
    expect(again.code).toBe(4);
    expect(again.json.error.code).toBe('HOST_IN_AGGREGATE');
    expect((await cli('aggregate', 'add-host', 'fast', 'ghost')).code).toBe(3);
    expect((await cli('aggregate', 'add-host', 'nope', 'h1')).code).toBe(3);
    expect((await cli('aggregate', 'add-host', 'fast')).code).toBe(2);
  });

  it('a host cannot join a second availability zone (exit 4), nor can its aggregate become one', async () => {
    expect((await cli('aggregate', 'create', 'rack2', '--zone', 'az2')).json.aggregate.availability_zone).toBe('az2');
    const r = await cli('aggregate', 'add-host', 'rack2', 'h1');
    expect(r.code).toBe(4);
    expect(r.json.error.code).toBe('AZ_CONFLICT');
    expect((await cli('host', 'add', 'h1b', ...SIZE, '--az', 'az1')).code).toBe(0);
    expect((await cli('aggregate', 'add-host', 'az1', 'h3')).code).toBe(0);
    expect((await cli('aggregate', 'remove-host', 'az1', 'h3')).code).toBe(0);
    // fast holds h1 (in az1): turning fast into az2 would put h1 in two zones.
    const s = await cli('aggregate', 'set', 'fast', '--zone', 'az2');
    expect(s.code).toBe(4);
    expect(s.json.error.code).toBe('AZ_CONFLICT');
    const p = await cli('aggregate', 'set', 'fast', '--property', 'availability_zone=az2');
    expect(p.code).toBe(4);
    expect((await cli('aggregate', 'show', 'fast')).json.aggregate.availability_zone).toBeNull();
    expect((await cli('host', 'show', 'h1')).json.host.availability_zone).toBe('az1');
    // Into the zone it already has is fine.
    expect((await cli('aggregate', 'set', 'fast', '--zone', 'az1')).code).toBe(0);
    expect((await cli('aggregate', 'unset', 'fast', '--property', 'availability_zone')).json.aggregate.availability_zone).toBeNull();
  });

  it('aggregate set renames and sets metadata; a taken name exits 4; unknown exits 3', async () => {
    const r = await cli('aggregate', 'set', 'fast', '--name', 'faster', '--property', 'tier=platinum', '--property', 'new=1');
    expect(r.code).toBe(0);
    expect(r.json.aggregate).toMatchObject({ name: 'faster', metadata: { ssd: 'true', tier: 'platinum', new: '1' }, updated_at: expect.stringMatching(ISO) });
    expect((await cli('aggregate', 'set', 'faster', '--name', 'az1')).code).toBe(4);
    expect((await cli('aggregate', 'set', 'nope', '--property', 'a=b')).code).toBe(3);
    expect((await cli('aggregate', 'set', 'faster', '--property', 'novalue')).code).toBe(2);
  });

  it('aggregate unset removes keys; a missing key exits 3; --property is required', async () => {
    const r = await cli('aggregate', 'unset', 'faster', '--property', 'new', '--property', 'tier');
    expect(r.code).toBe(0);
    expect(r.json.aggregate.metadata).toEqual({ ssd: 'true' });
    expect((await cli('aggregate', 'unset', 'faster', '--property', 'tier')).code).toBe(3);
    expect((await cli('aggregate', 'unset', 'faster')).code).toBe(2);
    expect((await cli('aggregate', 'unset', 'nope', '--property', 'x')).code).toBe(3);
  });

  it('aggregate delete with hosts exits 4; remove-host, then delete returns {deleted}', async () => {
    const busy = await cli('aggregate', 'delete', 'faster');
    expect(busy.code).toBe(4);
    expect(busy.json.error.code).toBe('AGGREGATE_NOT_EMPTY');
    const rm = await cli('aggregate', 'remove-host', 'faster', 'h1');
    expect(rm.code).toBe(0);
    expect(rm.json.aggregate.hosts).toEqual([]);
    expect((await cli('aggregate', 'remove-host', 'faster', 'h1')).code).toBe(3);
    const d = await cli('aggregate', 'delete', 'faster');
    expect(d.code).toBe(0);
    expect(d.json).toEqual({ deleted: expect.objectContaining({ name: 'faster', uuid: expect.stringMatching(UUID), deleted: false }) });
    expect((await cli('aggregate', 'show', 'faster')).code).toBe(3);
    expect((await cli('aggregate', 'delete', 'faster')).code).toBe(3);
  });

  it('availability-zone list: empty zones are not available, nor are zones whose hosts are all disabled', async () => {
    expect((await cli('host', 'disable', 'h3', '--reason', 'maint')).code).toBe(0);
    const z = await zones();
    expect(Object.keys(z)).toEqual(['az1', 'az2', 'nova']);
    expect(z.az2).toEqual({ zoneName: 'az2', zoneState: { available: false }, hosts: {} });
    expect(z.nova.zoneState.available).toBe(false);
    expect(z.nova.hosts.h3['nova-compute']).toMatchObject({ available: true, active: false });
    expect(Object.keys(z.az1.hosts)).toEqual(['h1', 'h1b', 'h2']);
    expect(z.az1.zoneState.available).toBe(true);
    const human = await runCli(['availability-zone', 'list', '--long'], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^nova\s+not available\s+h3\s+nova-compute\s+disabled :-\)/m);
    const short = await runCli(['availability-zone', 'list'], env);
    expect(short.stdout).toMatch(/^az1\s+available\s+h1, h1b, h2$/m);
  });

  it('human output of aggregate list --long and show', async () => {
    const l = await runCli(['aggregate', 'list', '--long'], env);
    expect(l.code).toBe(0);
    expect(l.stdout).toMatch(/^\d+\s+az1\s+az1\s+h1, h1b, h2\s+availability_zone='az1'/m);
    const s = await runCli(['aggregate', 'show', 'rack2'], env);
    expect(s.stdout).toMatch(/^availability_zone\s+az2$/m);
  });
});
