/**
 * ComputeCapabilitiesFilter: flavor extra specs scoped "capabilities:" (e.g.
 * "capabilities:cpu_info:features" = "<in> avx2", "capabilities:hypervisor_type" = "s== kvm")
 * must match the host's values, using the extra-spec operators. An unscoped key is checked only
 * if the host has an attribute or stat of that name (Nova's backward compatibility); keys with
 * another scope ("hw:", "quota:" …) belong to other parts and are ignored. hw:maxphysaddr_bits
 * is checked as "capabilities:cpu_info:maxphysaddr:bits >= N", as Nova rewrites it.
 */
import type { HostState } from '../types';
import { hostValue, isHostAttribute, pyStr } from '../host-view';
import { cachedPredicate, defineFilter } from './base';
import { compileMatcher, type Matcher } from './extra-specs-ops';

interface Check { key: string; path: string[]; req: string; matcher: Matcher; bare: boolean; attr: boolean }

function applies(c: Check, h: HostState): boolean {
  return !c.bare || c.attr || Object.prototype.hasOwnProperty.call(h.stats, c.key);
}

function firstFailure(checks: Check[], h: HostState): Check | undefined {
  for (const c of checks) {
    if (!applies(c, h)) continue;
    const v = hostValue(h, c.path);
    if (v === undefined || !c.matcher(pyStr(v))) return c;
  }
  return undefined;
}

export const ComputeCapabilitiesFilter = defineFilter({
  name: 'ComputeCapabilitiesFilter',
  runOncePerRequest: true,
  staticData: true,
  prepare(spec, ctx) {
    const checks: Check[] = [];
    for (let [key, req] of Object.entries(spec.flavor.extraSpecs)) {
      if (key === 'hw:maxphysaddr_bits') [key, req] = ['capabilities:cpu_info:maxphysaddr:bits', `>= ${req}`];
      const scope = key.split(':');
      if (scope.length > 1 && scope[0] !== 'capabilities') continue;
      const path = scope.length > 1 ? scope.slice(1) : scope;
      const bare = scope.length === 1;
      checks.push({ key, path, req, matcher: compileMatcher(req), bare, attr: bare && isHostAttribute(key) });
    }
    if (checks.length === 0) return null;
    const hosts = ctx.pool.hosts;
    const signature = `capabilities\0${JSON.stringify(checks.map((c) => [c.key, c.req]))}`;
    return {
      ...cachedPredicate(ctx.pool, signature, (i) => firstFailure(checks, hosts[i]) === undefined),
      reason(h) {
        const c = firstFailure(checks, h);
        if (c === undefined) return 'passes';
        const v = hostValue(h, c.path);
        return v === undefined ? `lacks ${c.key} (flavor wants "${c.req}")` : `${c.key} is "${pyStr(v)}", flavor wants "${c.req}"`;
      },
    };
  },
});
