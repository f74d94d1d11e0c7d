/**
 * Host aggregates for the REST API: the object as Nova marshals it (uuid only from 2.41), the
 * lookup by integer id (anything else is a 400, as Nova's validate_integer makes it), and the
 * availability-zone safety checks Nova's AggregateAPI makes before a zone changes under hosts
 * that already carry servers.
 */
import type { FastifyRequest } from 'fastify';
import { ConflictError, InvalidInputError, NotFoundError } from '../../errors';
import type { Aggregate } from '../../model/compute';
import type { ApiDeps } from '../types';
import { intOf } from './flavor-params';

export function aggregateView(req: FastifyRequest, a: Aggregate, opts: { brief?: boolean } = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {
    availability_zone: a.availabilityZone, created_at: a.createdAt, deleted: false, deleted_at: null, id: a.id, name: a.name, updated_at: a.updatedAt,
  };
  if (!opts.brief) {
    out.hosts = [...a.hosts];
    out.metadata = { ...a.metadata };
  }
  if (req.mv.gte('2.41')) out.uuid = a.uuid;
  return out;
}

/** The aggregate a path names by its integer id. */
export async function loadAggregate(deps: ApiDeps, req: FastifyRequest): Promise<Aggregate> {
  const { id } = req.params as { id: string };
  const n = intOf(id);
  if (n === null) throw new InvalidInputError(`id must be an integer, got ${JSON.stringify(id.slice(0, 40))}.`, { code: 'INVALID_ID' });
  const a = (await deps.ctx.aggregates.list()).find((x) => x.id === n);
  if (!a) throw new NotFoundError('Aggregate', String(n));
  return a;
}

/** How many servers (of any project) a host carries. */
export async function serverCount(deps: ApiDeps, host: string): Promise<number> {
  return (await deps.ctx.servers.list({ allProjects: true, host })).length;
}

/** Nova's is_safe_to_update_az for update and set_metadata: a 400 when the zone may not change. */
export async function checkZoneUpdate(deps: ApiDeps, a: Aggregate, zone: string | null | undefined): Promise<void> {
  if (zone === undefined) return;
  if (!zone) throw new InvalidInputError(`Aggregate ${a.name} does not support empty named availability zone.`, { code: 'INVALID_AGGREGATE_ACTION' });
  if (zone === a.availabilityZone) return;
  const all = await deps.ctx.aggregates.list();
  const conflicting = all.filter((x) => x.id !== a.id && x.availabilityZone && x.availabilityZone !== zone && x.hosts.some((h) => a.hosts.includes(h)));
  if (conflicting.length) {
    throw new InvalidInputError(`One or more hosts already in availability zone(s) ${JSON.stringify(conflicting.map((x) => x.availabilityZone))}.`, { code: 'INVALID_AGGREGATE_ACTION' });
  }
  for (const h of a.hosts) {
    if (await serverCount(deps, h)) throw new InvalidInputError('One or more hosts contain instances in this zone.', { code: 'INVALID_AGGREGATE_ACTION' });
  }
}

/** The zone a host's aggregates give it (null when none sets one), leaving one aggregate out. */
async function zoneFromAggregates(deps: ApiDeps, host: string, except?: number): Promise<string | null> {
  const zoned = (await deps.ctx.aggregates.list()).filter((x) => x.id !== except && x.availabilityZone && x.hosts.includes(host));
  return zoned[0]?.availabilityZone ?? null;
}

/**
 * Adding a host to (or removing it from) a zoned aggregate must not move the host's servers to
 * another zone: a 409 when the host carries servers and its zone would change.
 */
export async function checkHostMove(deps: ApiDeps, a: Aggregate, host: string, adding: boolean): Promise<void> {
  if (!a.availabilityZone) return;
  const count = await serverCount(deps, host);
  if (!count) return;
  const before = adding ? await zoneFromAggregates(deps, host) : a.availabilityZone;
  const after = adding ? a.availabilityZone : await zoneFromAggregates(deps, host, a.id);
  if (before !== after) {
    throw new ConflictError(`The host cannot be ${adding ? 'added to' : 'removed from'} the aggregate as the availability zone of the host would change from '${before}' to '${after}' but the host already has ${count} instance(s). Changing the AZ of an existing instance is not supported by this action. Move the instances away from this host then try again.`, { code: 'INVALID_AGGREGATE_ACTION' });
  }
}
