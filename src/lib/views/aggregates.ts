/**
 * Serializers for host aggregates and availability zones, shared by `--json` and (later) the
 * REST API: the Compute API v2.1 aggregate object (with uuid, as from microversion 2.41) and the
 * os-availability-zone detail entry.
 */
import type { Aggregate } from '../model/compute';

export interface AggregateView {
  id: number;
  uuid: string;
  name: string;
  availability_zone: string | null;
  hosts: string[];
  metadata: Record<string, string>;
  created_at: string;
  updated_at: string | null;
  deleted: false;
  deleted_at: null;
}

export function aggregateView(a: Aggregate): AggregateView {
  return {
    id: a.id,
    uuid: a.uuid,
    name: a.name,
    availability_zone: a.availabilityZone,
    hosts: [...a.hosts],
    metadata: { ...a.metadata },
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    deleted: false,
    deleted_at: null,
  };
}

/** What a zone entry needs to know about one of its hosts. */
export interface ZoneHostState { host: string; up: boolean; enabled: boolean; updatedAt: string | null }

export interface AvailabilityZoneView {
  zoneName: string;
  zoneState: { available: boolean };
  hosts: Record<string, { 'nova-compute': { available: boolean; active: boolean; updated_at: string | null } }>;
}

/**
 * Nova's detailed zone entry: a host's `available` is "its service is up", `active` is "its
 * service is enabled"; a zone is available when at least one of its hosts is enabled (as Nova
 * lists a zone whose services are all disabled as "not available"). A host the cells no longer
 * report (a stale mapping) counts as down and disabled.
 */
export function availabilityZoneView(z: { name: string; hosts: string[]; available: boolean }, states: ZoneHostState[]): AvailabilityZoneView {
  const byHost = new Map(states.map((s) => [s.host, s]));
  const hosts: AvailabilityZoneView['hosts'] = {};
  for (const h of z.hosts) {
    const s = byHost.get(h);
    hosts[h] = { 'nova-compute': { available: s?.up ?? false, active: s?.enabled ?? false, updated_at: s?.updatedAt ?? null } };
  }
  const available = z.available && z.hosts.some((h) => byHost.get(h)?.enabled === true);
  return { zoneName: z.name, zoneState: { available }, hosts };
}
