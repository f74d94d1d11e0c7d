/**
 * AggregateImagePropertiesIsolation: for every aggregate metadata key of the host that is also
 * an image property (optionally only keys under the configured namespace + separator), the
 * image's value must be one of the aggregate's comma-separated values. Properties the image does
 * not set do not restrict it. A list-valued property must have every element allowed.
 */
import type { HostPool } from '../host-pool';
import type { ImageSpec } from '../types';
import { cachedPredicate, defineFilter } from './base';

function conflict(pool: HostPool, i: number, props: ImageSpec['properties'], prefix: string): string | null {
  for (const [key, options] of pool.metadata(i)) {
    if (prefix && !key.startsWith(prefix)) continue;
    const prop = props[key];
    if (prop === undefined || prop === '') continue;
    const values = Array.isArray(prop) ? prop : [prop];
    for (const v of values) if (!options.has(String(v))) return key;
  }
  return null;
}

export const AggregateImagePropertiesIsolation = defineFilter({
  name: 'AggregateImagePropertiesIsolation',
  runOncePerRequest: true,
  staticData: true,
  prepare(spec, ctx) {
    const props = spec.image?.properties ?? {};
    const ns = ctx.config.aggregateImagePropertiesIsolationNamespace;
    const prefix = ns ? ns + ctx.config.aggregateImagePropertiesIsolationSeparator : '';
    const { pool } = ctx;
    return {
      ...cachedPredicate(pool, `imageiso\0${prefix}\0${JSON.stringify(props)}`, (i) => conflict(pool, i, props, prefix) === null),
      reason(_h, i) {
        const key = conflict(pool, i, props, prefix) ?? '';
        return `aggregate allows ${key}=${[...(pool.metadata(i).get(key) ?? [])].join(',')}, image has ${String(props[key])}`;
      },
    };
  },
});
