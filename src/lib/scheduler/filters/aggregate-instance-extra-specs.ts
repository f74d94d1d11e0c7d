/**
 * AggregateInstanceExtraSpecsFilter: flavor extra specs that are unscoped ("ssd" = "true") or
 * scoped "aggregate_instance_extra_specs:" must be matched by the metadata of one of the host's
 * aggregates (comma-separated metadata values are alternatives), using the extra-spec
 * operators. A key no aggregate of the host sets fails the host. Other scopes ("hw:",
 * "capabilities:" …) are ignored.
 */
import type { HostPool } from '../host-pool';
import { cachedPredicate, defineFilter } from './base';
import { compileMatcher, type Matcher } from './extra-specs-ops';

const SCOPE = 'aggregate_instance_extra_specs';

interface Check { key: string; req: string; matcher: Matcher }

function firstFailure(checks: Check[], pool: HostPool, i: number): Check | undefined {
  const meta = pool.metadata(i);
  for (const c of checks) {
    const values = meta.get(c.key);
    let ok = false;
    if (values !== undefined) for (const v of values) if (c.matcher(v)) { ok = true; break; }
    if (!ok) return c;
  }
  return undefined;
}

export const AggregateInstanceExtraSpecsFilter = defineFilter({
  name: 'AggregateInstanceExtraSpecsFilter',
  runOncePerRequest: true,
  staticData: true,
  prepare(spec, ctx) {
    const checks: Check[] = [];
    for (const [full, req] of Object.entries(spec.flavor.extraSpecs)) {
      const colon = full.indexOf(':');
      if (colon >= 0 && full.slice(0, colon) !== SCOPE) continue;
      checks.push({ key: colon >= 0 ? full.slice(colon + 1) : full, req, matcher: compileMatcher(req) });
    }
    if (checks.length === 0) return null;
    const { pool } = ctx;
    return {
      ...cachedPredicate(pool, `aggspecs\0${JSON.stringify(checks.map((c) => [c.key, c.req]))}`,
        (i) => firstFailure(checks, pool, i) === undefined),
      reason(_h, i) {
        const c = firstFailure(checks, pool, i);
        const have = c && pool.metadata(i).get(c.key);
        if (c === undefined) return 'passes';
        return have ? `aggregate ${c.key}=${[...have].join(',')} does not match "${c.req}"` : `no aggregate sets ${c.key} (flavor wants "${c.req}")`;
      },
    };
  },
});
