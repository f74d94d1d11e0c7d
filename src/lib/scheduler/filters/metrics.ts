/**
 * MetricsFilter: only hosts reporting every metric named in [metrics] weight_setting, so the
 * MetricsWeigher never meets a host without them.
 */
import { parseWeightSetting } from '../weighers/metrics';
import { defineFilter } from './base';

export const MetricsFilter = defineFilter({
  name: 'MetricsFilter',
  prepare(_spec, ctx) {
    const names = parseWeightSetting(ctx.config.metricsWeightSetting).map(([n]) => n);
    if (names.length === 0) return null;
    const missing = (m: Record<string, number>) => names.filter((n) => !(n in m));
    return {
      test: (h) => {
        for (const n of names) if (!(n in h.metrics)) return false;
        return true;
      },
      reason: (h) => `does not report metrics ${missing(h.metrics).join(', ')}`,
    };
  },
});
