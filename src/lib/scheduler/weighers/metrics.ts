/**
 * MetricsWeigher: weight = Σ metric value × ratio over [metrics] weight_setting
 * ("cpu.percent=-1.0, …"). A host missing a metric is an error when [metrics] required is true
 * (enable MetricsFilter to drop such hosts first); otherwise it gets weight_of_unavailable
 * (default -10000) so it sinks, unless its multiplier or the ratio is 0.
 */
import { ConfigError, HostError } from '../../errors';
import { hostMultiplier, type HostWeigher } from './base';

export function parseWeightSetting(setting: readonly string[]): Array<[string, number]> {
  return setting.map((entry) => {
    const eq = entry.indexOf('=');
    const name = eq > 0 ? entry.slice(0, eq).trim() : '';
    const ratio = eq > 0 ? Number(entry.slice(eq + 1).trim()) : NaN;
    if (name === '' || entry.slice(eq + 1).trim() === '' || !Number.isFinite(ratio)) {
      throw new ConfigError(`[metrics] weight_setting entry ${JSON.stringify(entry)} is not name=ratio.`, {
        hint: 'Example: weight_setting = cpu.percent=-1.0, memory.free=1.0',
      });
    }
    return [name, ratio];
  });
}

export const MetricsWeigher: HostWeigher = {
  name: 'MetricsWeigher',
  multiplierName: 'metrics_weight_multiplier',
  multiplier: (c) => c.metricsWeightMultiplier,
  prepare(_spec, ctx) {
    const setting = parseWeightSetting(ctx.config.metricsWeightSetting);
    if (setting.length === 0) return null;
    const { metricsRequired: required, metricsWeightOfUnavailable: unavailable } = ctx.config;
    return {
      raw(h, i) {
        let value = 0;
        for (const [name, ratio] of setting) {
          const m = h.metrics[name];
          if (m !== undefined) {
            value += m * ratio;
          } else if (required) {
            throw new HostError(`Host ${h.host} (${h.nodename}) does not report metric ${name}.`, {
              code: 'COMPUTE_HOST_METRIC_NOT_FOUND',
              hint: 'Enable MetricsFilter, or set [metrics] required = false.',
            });
          } else if (ratio * hostMultiplier(MetricsWeigher, ctx, i) !== 0) {
            return unavailable;
          }
        }
        return value;
      },
    };
  },
};
