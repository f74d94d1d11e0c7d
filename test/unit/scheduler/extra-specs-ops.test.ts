// Nova's extra-spec operator language, operator by operator.
import { OPERATORS, compileMatcher, match } from '../../../src/lib/scheduler/filters/extra-specs-ops';

describe('extra-spec operators (Nova extra_specs_ops)', () => {
  it.each([
    // '=' means "at least", numerically
    ['16', '= 8', true], ['8', '= 8', true], ['4', '= 8', false], ['8.5', '= 8.25', true], ['abc', '= 1', false],
    ['8', '== 8', true], ['8.0', '== 8', true], ['9', '== 8', false],
    ['9', '!= 8', true], ['8', '!= 8', false],
    ['9', '>= 8', true], ['7', '>= 8', false],
    ['7', '<= 8', true], ['9', '<= 8', false],
    // string comparisons are lexicographic, not numeric
    ['kvm', 's== kvm', true], ['KVM', 's== kvm', false], ['qemu', 's!= kvm', true], ['kvm', 's!= kvm', false],
    ['10', 's< 9', true], ['9', 's< 10', false], ['abc', 's<= abc', true], ['b', 's> a', true], ['a', 's> a', false], ['a', 's>= a', true],
    // <in>: substring
    ['avx avx2 sse4_2', '<in> avx2', true], ['avx sse4_2', '<in> avx2', false], ['fooBAR', '<in> BAR', true],
    // <all-in>: every word is a substring
    ["['avx', 'avx2', 'sse']", '<all-in> avx2 sse', true], ["['avx', 'sse']", '<all-in> avx2 sse', false], ['x', '<all-in>', false],
    // <or>: one of the alternatives, whole-value equality
    ['kvm', '<or> qemu <or> kvm', true], ['xen', '<or> qemu <or> kvm', false], ['kv', '<or> qemu <or> kvm', false], ['qemu', '<or> qemu', true],
    // no operator: the whole requirement must equal the value
    ['true', 'true', true], ['True', 'true', false], ['a b', 'a b', true],
    // an operator without an operand matches nothing
    ['8', '>=', false], ['x', 's==', false],
  ])('match(%j, %j) is %s', (value, req, expected) => {
    expect(match(value, req)).toBe(expected);
  });

  it('never matches a missing value, whatever the operator', () => {
    for (const op of [...OPERATORS, 'plain']) expect(compileMatcher(`${op} 1`)(undefined)).toBe(false);
  });

  it('compiles once and is reusable across hosts', () => {
    const m = compileMatcher('>= 4');
    expect(['2', '4', '8'].map(m)).toEqual([false, true, true]);
  });
});
