/**
 * The compute "services" the REST API shows (os-services, os-availability-zone, os-hypervisors):
 * one nova-compute per registered host (its service row: id, uuid, disabled, forced down; up
 * unless forced down or unreachable; zone from its aggregates), plus the nova-scheduler and
 * nova-conductor that novalite runs inside every API and CLI process: on this machine, in the
 * `internal` zone, always up and enabled. They have no row, so their ids are fixed: -1 and -2
 * below 2.53, and uuids derived from the controller's name from 2.53.
 */
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import type { FastifyRequest } from 'fastify';
import { InvalidInputError, NotFoundError } from '../../errors';
import type { HostInfo } from '../../services/hosts';
import type { ApiDeps } from '../types';
import { intOf, isUuidLike } from './flavor-params';

export interface ServiceRecord {
  id: number;
  uuid: string;
  binary: string;
  host: string;
  zone: string;
  disabled: boolean;
  disabledReason: string | null;
  forcedDown: boolean;
  up: boolean;
  updatedAt: string | null;
  /** The registered host behind a nova-compute service. */
  compute?: HostInfo;
}

const CONTROLLER_BINARIES = ['nova-scheduler', 'nova-conductor'];

function stableUuid(text: string): string {
  const h = createHash('sha1').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function computeRecord(h: HostInfo): ServiceRecord {
  return {
    id: h.serviceId ?? 0, uuid: h.serviceUuid ?? h.nodeUuid, binary: 'nova-compute', host: h.host, zone: h.availabilityZone,
    disabled: h.disabled, disabledReason: h.disabledReason, forcedDown: h.forcedDown, up: h.up,
    updatedAt: h.lastSeenUp ?? h.serviceUpdatedAt ?? h.updatedAt ?? null, compute: h,
  };
}

export function controllerRecords(deps: ApiDeps): ServiceRecord[] {
  const host = os.hostname();
  const now = deps.ctx.clock.now().toISOString();
  return CONTROLLER_BINARIES.map((binary, i) => ({
    id: -(i + 1), uuid: stableUuid(`novalite:${host}:${binary}`), binary, host, zone: 'internal',
    disabled: false, disabledReason: null, forcedDown: false, up: true, updatedAt: now,
  }));
}

/** Every service: the controller's first (as Nova's are usually the oldest rows), then the computes by host. */
export async function serviceRecords(deps: ApiDeps, _req?: FastifyRequest): Promise<ServiceRecord[]> {
  return [...controllerRecords(deps), ...(await deps.ctx.hosts.list()).map(computeRecord)];
}

/** The service a path names: an integer id below 2.53, a uuid from 2.53 (anything else a 400). */
export async function serviceById(deps: ApiDeps, req: FastifyRequest, id: string): Promise<ServiceRecord> {
  const all = await serviceRecords(deps, req);
  let found: ServiceRecord[];
  if (req.mv.gte('2.53')) {
    if (!isUuidLike(id)) throw new InvalidInputError(`Invalid uuid ${id.slice(0, 80)}`, { code: 'INVALID_UUID' });
    const norm = id.replace(/-/g, '').toLowerCase();
    found = all.filter((s) => s.uuid.replace(/-/g, '').toLowerCase() === norm);
  } else {
    const n = intOf(id);
    if (n === null) throw new InvalidInputError(`id must be an integer, got ${JSON.stringify(id.slice(0, 40))}.`, { code: 'INVALID_ID' });
    found = all.filter((s) => s.id === n);
  }
  if (found.length > 1) throw new InvalidInputError(`Service id ${id} refers to multiple services.`, { code: 'SERVICE_NOT_UNIQUE' });
  if (!found.length) throw new NotFoundError('Service', id);
  return found[0];
}
