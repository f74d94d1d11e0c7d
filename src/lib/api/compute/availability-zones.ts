/**
 * os-availability-zone: the zones of the compute services (a zone is available when one of its
 * services is enabled; zones of aggregates without hosts are not listed, as in Nova), and for
 * admins /detail with each enabled service per host. The controller's in-process services sit
 * in Nova's `internal` zone, which only /detail shows.
 */
import type { FastifyRequest } from 'fastify';
import type { ApiDeps, RouteModule } from '../types';
import { serviceRecords, type ServiceRecord } from './service-records';

const P = 'os_compute_api:os-availability-zone';
export const INTERNAL_ZONE = 'internal';

interface Zones { available: string[]; unavailable: string[] }

/** Nova's get_availability_zones: zones with an enabled service, and those whose services are all disabled. */
function zonesOf(services: ServiceRecord[]): Zones {
  const on = new Set(services.filter((s) => !s.disabled).map((s) => s.zone));
  const off = new Set(services.filter((s) => s.disabled && !on.has(s.zone)).map((s) => s.zone));
  return { available: [...on].sort(), unavailable: [...off].sort() };
}

async function detail(deps: ApiDeps, req: FastifyRequest): Promise<unknown> {
  const services = await serviceRecords(deps, req);
  const { available, unavailable } = zonesOf(services);
  const zones = available.map((zone) => {
    const hosts: Record<string, Record<string, { available: boolean; active: boolean; updated_at: string | null }>> = {};
    for (const s of services.filter((x) => x.zone === zone && !x.disabled)) {
      (hosts[s.host] ??= {})[s.binary] = { available: s.up, active: !s.disabled, updated_at: s.updatedAt };
    }
    return { zoneName: zone, zoneState: { available: true }, hosts };
  });
  return { availabilityZoneInfo: [...zones, ...unavailable.map((zone) => ({ zoneName: zone, zoneState: { available: false }, hosts: null }))] };
}

export const availabilityZoneRoutes: RouteModule = (deps) => [
  {
    method: 'GET', url: '/os-availability-zone', policy: `${P}:list`, summary: 'List availability zones and whether each is available.',
    handler: async (req) => {
      const { available, unavailable } = zonesOf(await serviceRecords(deps, req));
      const entry = (available: boolean) => (zone: string) => ({ zoneName: zone, zoneState: { available }, hosts: null });
      return {
        availabilityZoneInfo: [
          ...available.filter((z) => z !== INTERNAL_ZONE).map(entry(true)),
          ...unavailable.filter((z) => z !== INTERNAL_ZONE).map(entry(false)),
        ],
      };
    },
  },
  {
    method: 'GET', url: '/os-availability-zone/detail', policy: `${P}:detail`, summary: 'List availability zones with their hosts and services (admin).',
    handler: (req) => detail(deps, req),
  },
];

availabilityZoneRoutes.rules = {
  [`${P}:list`]: '@',
  [`${P}:detail`]: 'rule:admin_api',
};
