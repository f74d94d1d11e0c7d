/**
 * ServerGroupSoftAffinityWeigher and ServerGroupSoftAntiAffinityWeigher: for groups with the
 * soft-affinity policy, prefer hosts already running more members; for soft-anti-affinity,
 * prefer hosts running fewer (raw weight = -members). Unlike the hard policies nothing is
 * filtered out, so the request still lands when the preference cannot be met.
 */
import { membersOnHost } from '../filters/server-group-anti-affinity';
import type { HostWeigher } from './base';

export const ServerGroupSoftAffinityWeigher: HostWeigher = {
  name: 'ServerGroupSoftAffinityWeigher',
  multiplierName: 'soft_affinity_weight_multiplier',
  multiplier: (c) => c.softAffinityWeightMultiplier,
  prepare(spec) {
    const g = spec.instanceGroup;
    if (!g || g.policy !== 'soft-affinity' || g.members.length === 0) return null;
    return { raw: (h) => membersOnHost(h, g) };
  },
};

export const ServerGroupSoftAntiAffinityWeigher: HostWeigher = {
  name: 'ServerGroupSoftAntiAffinityWeigher',
  multiplierName: 'soft_anti_affinity_weight_multiplier',
  multiplier: (c) => c.softAntiAffinityWeightMultiplier,
  prepare(spec) {
    const g = spec.instanceGroup;
    if (!g || g.policy !== 'soft-anti-affinity' || g.members.length === 0) return null;
    return { raw: (h) => -membersOnHost(h, g) };
  },
};
