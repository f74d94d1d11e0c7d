/**
 * RetryFilter: on a reschedule, skip the hosts (or nodes) already tried for this request.
 * (Nova deprecated it in favour of alternates; novalite keeps it for callers that re-ask.)
 */
import { defineFilter } from './base';

export const RetryFilter = defineFilter({
  name: 'RetryFilter',
  staticData: true,
  prepare(spec, ctx) {
    const tried = new Set(spec.retry?.hosts ?? []);
    if (tried.size === 0) return null;
    const hosts = ctx.pool.hosts;
    const skip = new Set<number>();
    for (let i = 0; i < hosts.length; i++) if (tried.has(hosts[i].host) || tried.has(hosts[i].nodename)) skip.add(i);
    return {
      test: (_h, i) => !skip.has(i),
      reason: () => 'was already tried for this request',
    };
  },
});
