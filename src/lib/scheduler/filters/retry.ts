/**
 * RetryFilter: on a reschedule, skip the hosts (or nodes) already tried for this request.
 * (Nova deprecated it in favour of alternates; novalite keeps it for callers that re-ask.)
 */
import { defineFilter } from './base';

export const RetryFilter = defineFilter({
  name: 'RetryFilter',
  prepare(spec) {
    const tried = spec.retry?.hosts ?? [];
    if (tried.length === 0) return null;
    const set = new Set(tried);
    return {
      test: (h) => !set.has(h.host) && !set.has(h.nodename),
      reason: () => 'was already tried for this request',
    };
  },
});
