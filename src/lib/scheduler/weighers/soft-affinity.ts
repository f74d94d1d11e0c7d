/**
 * ServerGroupSoftAffinityWeigher and ServerGroupSoftAntiAffinityWeigher: for groups with the
 * soft-affinity policy, prefer hosts already running more members; for soft-anti-affinity,
 * prefer hosts running fewer (raw weight = -members). Unlike the hard policies nothing is
 * filtered out, so the request still lands when the preference cannot be met.
 */
import type { HostWeigher, PreparedWeigher, WeigherContext } from './base';
import type { RequestSpec } from '../types';

/** Raw weight sign × members on the host; null when no member runs anywhere (all equal). */
function membersWeight(spec: RequestSpec, ctx: WeigherContext, policy: string, sign: 1 | -1): PreparedWeigher | null {
  const g = spec.instanceGroup;
  if (!g || g.policy !== policy || g.members.length === 0) return null;
  const counts = ctx.pool.countOnHosts(g.members);
  if (counts.size === 0) return null;
  return { raw: (_h, i) => sign * (counts.get(i) ?? 0) };
}

export const ServerGroupSoftAffinityWeigher: HostWeigher = {
  name: 'ServerGroupSoftAffinityWeigher',
  multiplierName: 'soft_affinity_weight_multiplier',
  multiplier: (c) => c.softAffinityWeightMultiplier,
  prepare(spec, ctx) {
    return membersWeight(spec, ctx, 'soft-affinity', 1);
  },
};

export const ServerGroupSoftAntiAffinityWeigher: HostWeigher = {
  name: 'ServerGroupSoftAntiAffinityWeigher',
  multiplierName: 'soft_anti_affinity_weight_multiplier',
  multiplier: (c) => c.softAntiAffinityWeightMultiplier,
  prepare(spec, ctx) {
    return membersWeight(spec, ctx, 'soft-anti-affinity', -1);
  },
};
