/**
 * AggregateMultiTenancyIsolation: a host in an aggregate whose metadata has keys starting with
 * "filter_tenant_id" (values are comma-separated project ids) only takes servers of those
 * projects; hosts in no such aggregate take anyone.
 */
import type { HostPool } from '../host-pool';
import { cachedPredicate, defineFilter } from './base';

const PREFIX = 'filter_tenant_id';

function allowed(pool: HostPool, i: number, project: string): boolean {
  let restricted = false;
  for (const [k, vals] of pool.metadata(i)) {
    if (!k.startsWith(PREFIX)) continue;
    if (vals.has(project)) return true;
    restricted = true;
  }
  return !restricted;
}

export const AggregateMultiTenancyIsolation = defineFilter({
  name: 'AggregateMultiTenancyIsolation',
  runOncePerRequest: true,
  staticData: true,
  prepare(spec, ctx) {
    const { pool } = ctx;
    return {
      ...cachedPredicate(pool, `tenant\0${spec.projectId}`, (i) => allowed(pool, i, spec.projectId)),
      reason(_h, i) {
        const tenants = new Set<string>();
        for (const [k, vals] of pool.metadata(i)) if (k.startsWith(PREFIX)) vals.forEach((v) => tenants.add(v));
        return `is reserved for projects ${[...tenants].join(', ')}, not ${spec.projectId}`;
      },
    };
  },
});
