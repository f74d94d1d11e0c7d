// The small IP parser behind SimpleCIDRAffinityFilter and hint validation.
import { cidrContains, parseIp } from '../../../src/lib/scheduler/ip';

describe('parseIp', () => {
  it.each([
    ['10.0.0.1', 4, 0x0a000001n], ['255.255.255.255', 4, 0xffffffffn], ['0.0.0.0', 4, 0n],
    ['::', 6, 0n], ['::1', 6, 1n], ['2001:db8::1', 6, 0x20010db8000000000000000000000001n],
    ['1:2:3:4:5:6:7:8', 6, 0x00010002000300040005000600070008n],
    ['::ffff:10.0.0.1', 6, 0xffff0a000001n], ['1:2:3:4:5:6:1.2.3.4', 6, 0x00010002000300040005000601020304n],
  ])('%s', (text, version, value) => {
    expect(parseIp(text)).toEqual({ version, value });
  });
  it.each(['', '10.0.0', '10.0.0.256', '10.0.0.1.2', 'a.b.c.d', ':::', '1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7::8', 'host'])(
    'rejects %j', (text) => {
      expect(parseIp(text)).toBeNull();
    },
  );
});

describe('cidrContains', () => {
  it('tests membership of a prefix, within one address family', () => {
    const in24 = cidrContains(parseIp('192.168.1.77')!, 24);
    expect(['192.168.1.1', '192.168.1.255', '192.168.2.1', '::1', 'junk', undefined].map(in24)).toEqual([true, true, false, false, false, false]);
    const in64 = cidrContains(parseIp('2001:db8:0:1::5')!, 64);
    expect(['2001:db8:0:1:ffff::1', '2001:db8:0:2::1', '10.0.0.1'].map(in64)).toEqual([true, false, false]);
    expect(cidrContains(parseIp('10.1.2.3')!, 0)('99.0.0.1')).toBe(true);
  });
});
