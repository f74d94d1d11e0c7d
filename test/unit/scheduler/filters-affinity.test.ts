// SameHost, DifferentHost, SimpleCIDRAffinity and the server-group filters, and the instance
// index that answers them staying right as hosts change.
import { HostPool, consumeFromRequest, findFilter, type InstanceGroupSpec } from '../../../src/lib/scheduler';
import { config, host, reasonFor, spec, survivors } from './helpers';

const U1 = '11111111-1111-1111-1111-111111111111';
const U2 = '22222222-2222-2222-2222-222222222222';
const U3 = '33333333-3333-3333-3333-333333333333';

const cluster = () => [
  host('a', { instanceUuids: new Set([U1]) }),
  host('b', { instanceUuids: new Set([U2, U3]) }),
  host('c'),
];

describe('SameHostFilter and DifferentHostFilter', () => {
  it.each([
    ['same_host', [U1], ['a']],
    ['same_host', [U1, U2], ['a', 'b']],
    ['same_host', U3, ['b']],
    ['different_host', [U1], ['b', 'c']],
    ['different_host', [U1, U3], ['c']],
  ])('%s %j → %j', (hint, uuids, expected) => {
    const filter = hint === 'same_host' ? 'SameHostFilter' : 'DifferentHostFilter';
    expect(survivors(filter, cluster(), spec({ schedulerHints: { [hint]: uuids } }))).toEqual(expected);
  });
  it('without the hint they pass everything', () => {
    expect(survivors('SameHostFilter', cluster(), spec())).toEqual(['a', 'b', 'c']);
    expect(survivors('DifferentHostFilter', cluster(), spec())).toEqual(['a', 'b', 'c']);
  });
  it('say which server is in the way', () => {
    expect(reasonFor('DifferentHostFilter', cluster()[1], spec({ schedulerHints: { different_host: [U3] } }))).toBe(`runs ${U3} (different_host)`);
  });
});

describe('SimpleCIDRAffinityFilter', () => {
  const hosts = [host('n1', { hostIp: '10.0.1.5' }), host('n2', { hostIp: '10.0.2.5' }), host('v6', { hostIp: '2001:db8::5' }), host('noip')];
  it.each([
    [{ build_near_host_ip: '10.0.1.200' }, ['n1']], // default /24
    [{ build_near_host_ip: '10.0.1.200', cidr: '/16' }, ['n1', 'n2']],
    [{ build_near_host_ip: '10.0.1.5', cidr: '/32' }, ['n1']],
    [{ build_near_host_ip: '10.9.9.9', cidr: '/0' }, ['n1', 'n2']], // IPv4 only
    [{ build_near_host_ip: '2001:db8::1', cidr: '/64' }, ['v6']],
    [{}, ['n1', 'n2', 'v6', 'noip']],
  ])('%j → %j', (hints, expected) => {
    expect(survivors('SimpleCIDRAffinityFilter', hosts, spec({ schedulerHints: hints }))).toEqual(expected);
  });
  it('explains', () => {
    const s = spec({ schedulerHints: { build_near_host_ip: '10.0.1.1' } });
    expect(reasonFor('SimpleCIDRAffinityFilter', hosts[1], s)).toBe('has IP 10.0.2.5, outside 10.0.1.1/24');
    expect(reasonFor('SimpleCIDRAffinityFilter', hosts[3], s)).toBe('has no known IP address');
  });
});

const group = (policy: InstanceGroupSpec['policy'], over: Partial<InstanceGroupSpec> = {}): InstanceGroupSpec => ({
  uuid: 'g1', name: 'web', policy, rules: {}, hosts: [], members: [], ...over,
});

describe('ServerGroupAffinityFilter', () => {
  it('pins to the hosts the group already uses', () => {
    const s = spec({ instanceGroup: group('affinity', { hosts: ['b'], members: [U2] }) });
    expect(survivors('ServerGroupAffinityFilter', cluster(), s)).toEqual(['b']);
  });
  it('places the first member anywhere, and ignores other policies', () => {
    expect(survivors('ServerGroupAffinityFilter', cluster(), spec({ instanceGroup: group('affinity') }))).toEqual(['a', 'b', 'c']);
    expect(survivors('ServerGroupAffinityFilter', cluster(), spec({ instanceGroup: group('soft-affinity', { hosts: ['b'] }) }))).toEqual(['a', 'b', 'c']);
  });
});

describe('ServerGroupAntiAffinityFilter', () => {
  it('keeps members apart (max_server_per_host defaults to 1)', () => {
    const s = spec({ instanceGroup: group('anti-affinity', { members: [U1, U2, 'new'] }), instanceUuid: 'new' });
    expect(survivors('ServerGroupAntiAffinityFilter', cluster(), s)).toEqual(['c']);
    expect(reasonFor('ServerGroupAntiAffinityFilter', cluster()[0], s)).toBe('already runs 1 member(s) of anti-affinity group web (max 1)');
  });
  it.each([
    [2, ['a', 'c']], // b already runs two members
    [3, ['a', 'b', 'c']],
  ])('max_server_per_host=%i → %j', (max, expected) => {
    const s = spec({ instanceGroup: group('anti-affinity', { members: [U1, U2, U3], rules: { max_server_per_host: max } }) });
    expect(survivors('ServerGroupAntiAffinityFilter', cluster(), s)).toEqual(expected);
  });
  it('lets a move consider the host already running the instance', () => {
    const s = spec({ instanceGroup: group('anti-affinity', { members: [U1, U2] }), instanceUuid: U1 });
    expect(survivors('ServerGroupAntiAffinityFilter', cluster(), s)).toEqual(['a', 'c']);
  });
  it('ignores soft-anti-affinity (that is a weigher)', () => {
    const s = spec({ instanceGroup: group('soft-anti-affinity', { members: [U1] }) });
    expect(survivors('ServerGroupAntiAffinityFilter', cluster(), s)).toEqual(['a', 'b', 'c']);
  });
});

describe('instance lookups stay right as hosts change', () => {
  const antiAffinity = (members: string[]) => spec({ instanceGroup: group('anti-affinity', { members }) });
  function pass(pool: HostPool, members: string[]): string[] {
    const p = findFilter('ServerGroupAntiAffinityFilter')!.prepare(antiAffinity(members), { config: config(), pool })!;
    pool.syncAll();
    return pool.hosts.filter((h, i) => p.test(h, i)).map((h) => h.host);
  }
  it('sees placements made with consumeFromRequest', () => {
    const pool = new HostPool(cluster());
    expect(pass(pool, [U1, 'x'])).toEqual(['b', 'c']);
    consumeFromRequest(pool.hosts[2], spec(), 'x');
    expect(pass(pool, [U1, 'x'])).toEqual(['b']);
  });
  it('sees a host whose instance set was replaced', () => {
    const pool = new HostPool(cluster());
    expect(pass(pool, [U1])).toEqual(['b', 'c']);
    pool.hosts[0].instanceUuids = new Set();
    pool.hosts[2].instanceUuids = new Set([U1]);
    expect(pass(pool, [U1])).toEqual(['a', 'b']);
  });
  it('sees in-place changes after update(host)', () => {
    const pool = new HostPool(cluster());
    expect(pass(pool, [U1])).toEqual(['b', 'c']);
    pool.hosts[0].instanceUuids.delete(U1); // a removal is verified against the live set anyway
    pool.hosts[1].instanceUuids.add(U1);
    pool.update(pool.hosts[1]);
    expect(pass(pool, [U1])).toEqual(['a', 'c']);
  });
  it('survives more placements than its log holds', () => {
    const pool = new HostPool(cluster());
    expect(pass(pool, [U1])).toEqual(['b', 'c']);
    const other = host('elsewhere');
    for (let k = 0; k < 5000; k++) consumeFromRequest(other, spec(), `z${k}`);
    consumeFromRequest(pool.hosts[2], spec(), 'late');
    expect(pass(pool, ['late'])).toEqual(['a', 'b']);
  });
});
