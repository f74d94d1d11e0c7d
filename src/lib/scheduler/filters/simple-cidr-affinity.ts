/**
 * SimpleCIDRAffinityFilter: with the "build_near_host_ip" hint, only hosts whose IP is in that
 * address's network of prefix "cidr" (default /24). Hosts without a known IP do not qualify.
 */
import { InvalidInputError } from '../../errors';
import { hintValue } from '../hints';
import { cidrContains, parseIp } from '../ip';
import { cachedPredicate, defineFilter } from './base';

export const SimpleCIDRAffinityFilter = defineFilter({
  name: 'SimpleCIDRAffinityFilter',
  runOncePerRequest: true,
  staticData: true,
  prepare(spec, ctx) {
    const near = hintValue(spec, 'build_near_host_ip');
    if (near === undefined) return null;
    const cidr = hintValue(spec, 'cidr') ?? '/24';
    const base = parseIp(near);
    const prefix = Number(cidr.slice(1));
    if (base === null || !/^\/\d+$/.test(cidr) || prefix > (base.version === 4 ? 32 : 128)) {
      throw new InvalidInputError(`Scheduler hints build_near_host_ip=${near} cidr=${cidr} do not form a network.`);
    }
    const contains = cidrContains(base, prefix);
    return {
      ...cachedPredicate(ctx.pool, `cidr\0${near}${cidr}`, (i) => contains(ctx.pool.hosts[i].hostIp)),
      reason: (h) => (h.hostIp ? `has IP ${h.hostIp}, outside ${near}${cidr}` : 'has no known IP address'),
    };
  },
});
