// Scheduler hints are user input: the wrong type is InvalidInputError (exit 2) before filtering.
import { InvalidInputError } from '../../../src/lib/errors';
import { Scheduler, validateHints } from '../../../src/lib/scheduler';
import { host, spec } from './helpers';

const U = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

describe('validateHints', () => {
  it.each([
    [{}],
    [{ same_host: U }], [{ same_host: [U, U] }], [{ different_host: [U] }], [{ group: U }],
    [{ query: '[">=", "$free_ram_mb", 1024]' }], [{ query: ['["=", "$host", "a"]'] }], [{ query: '' }],
    [{ build_near_host_ip: '10.0.0.1', cidr: '/24' }], [{ build_near_host_ip: '2001:db8::1', cidr: '/64' }],
    [{ build_near_host_ip: '::ffff:10.0.0.1' }],
    [{ target_cell: 'cell1', different_cell: ['cell2'] }],
    [{ some_custom_hint: 'anything' }], // Nova lets unknown hints through
  ])('accepts %j', (hints) => {
    expect(() => validateHints(hints)).not.toThrow();
  });

  it.each([
    [{ same_host: 'web-1' }, /"same_host" must be a server UUID/],
    [{ same_host: [U, 'nope'] }, /"same_host"/],
    [{ different_host: 42 }, /"different_host"/],
    [{ group: 'my-group' }, /"group"/],
    [{ query: '[">=", "$free_ram_mb"' }, /not valid JSON/],
    [{ query: '["xor", 1]' }, /unknown operator/],
    [{ query: ['a', 'b'] }, /"query" must be a single string/],
    [{ build_near_host_ip: '10.0.0.256' }, /IPv4 or IPv6/],
    [{ build_near_host_ip: 'myhost' }, /IPv4 or IPv6/],
    [{ build_near_host_ip: '10.0.0.1', cidr: '24' }, /prefix length \/N/],
    [{ build_near_host_ip: '10.0.0.1', cidr: '/33' }, /from 0 to 32/],
    [{ cidr: '/129' }, /"cidr"/],
    [{ custom: { nested: true } }, /must be a string or a list of strings/],
    [[], /must be an object/],
  ])('rejects %j', (hints, message) => {
    let err: unknown;
    try {
      validateHints(hints);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(message);
  });

  it('runs before any filtering, so a bad hint is bad input rather than "no host"', () => {
    const s = spec({ schedulerHints: { same_host: 'not-a-uuid' } });
    expect(() => new Scheduler().select(s, [host('a')])).toThrow(InvalidInputError);
    expect(() => new Scheduler().explain(s, [host('a')])).toThrow(InvalidInputError);
  });
});
