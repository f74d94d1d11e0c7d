// JsonFilter's query grammar and its errors.
import { InvalidInputError } from '../../../src/lib/errors';
import { compileQuery } from '../../../src/lib/scheduler/filters/json-query';
import { host, spec, survivors } from './helpers';

// free_ram_mb = 32768 − used; vcpus_total 16
const h = host('a', { usedMemoryMb: 8192, capabilities: { hypervisorType: 'kvm', cpuFeatures: ['avx2'] }, stats: { rack: 'r1', gpus: 2 }, numInstances: 3 });

describe('JsonFilter query grammar', () => {
  it.each([
    [['=', '$free_ram_mb', 24576], true],
    [['=', '$host', 'a'], true],
    [['<', '$num_instances', 4], true],
    [['<', '$num_instances', 4, 2], false], // first against every other
    [['>', '$free_ram_mb', 1024, 2048], true],
    [['<=', '$vcpus_total', 16], true],
    [['>=', '$free_ram_mb', 24577], false],
    [['in', '$hypervisor_type', 'qemu', 'kvm'], true],
    [['in', '$hypervisor_type', 'qemu', 'xen'], false],
    [['not', ['=', '$host', 'b']], true], // not gives a list; a non-empty list of true is true
    [['not', ['=', '$host', 'a']], false],
    [['or', ['=', '$host', 'x'], ['=', '$host', 'a']], true],
    [['and', ['=', '$host', 'a'], ['>=', '$free_ram_mb', 1]], true],
    [['and', ['=', '$host', 'a'], ['>=', '$free_ram_mb', 99999]], false],
    [['=', '$stats.rack', 'r1'], true],
    [['>=', '$stats.gpus', 2], true],
    [['=', '$hypervisor_type', 'kvm'], true],
    [['=', '$cpu_info.vendor', 'AMD'], false], // missing: dropped
    [['=', '$rack', 'r1'], true], // a name the host lacks falls back to its stats
    // a lookup that finds nothing is dropped: one argument left, so the comparison is false
    [['=', '$stats.nope', 1], false],
    [['<', '$host', 5], false], // string against number: false, not an error
    [[], true],
    [['and'], true],
    [['or'], false],
  ])('%j → %s', (query, expected) => {
    expect(compileQuery(JSON.stringify(query))(h)).toBe(expected);
  });

  it.each([
    ['not json', /not valid JSON/],
    ['{"a": 1}', /must be a JSON list/],
    ['["~", 1, 2]', /unknown operator "~"/],
    ['["and", ["bogus", 1]]', /unknown operator "bogus" at query\[1\]/],
  ])('rejects %s as bad input', (text, message) => {
    expect(() => compileQuery(text)).toThrow(InvalidInputError);
    expect(() => compileQuery(text)).toThrow(message);
  });

  it('filters hosts through the "query" hint', () => {
    const hosts = [host('big'), host('full', { usedMemoryMb: 32000 })];
    const query = JSON.stringify(['>=', '$free_ram_mb', 1024]);
    expect(survivors('JsonFilter', hosts, spec({ schedulerHints: { query } }))).toEqual(['big']);
    expect(survivors('JsonFilter', hosts, spec({ schedulerHints: { query: [query] } }))).toEqual(['big']);
    expect(survivors('JsonFilter', hosts, spec())).toEqual(['big', 'full']);
  });
});
