/**
 * os-server-external-events: what Neutron, Cinder, Ironic and Cyborg tell Nova about servers.
 * Each event gets its own code: 200 accepted, 404 unknown server, 400 a tag the event needs is
 * missing, 422 the server has no host; the answer is 207 when any failed. The names grow with
 * the microversion (volume-extended 2.51, power-update 2.76, accelerator-request-bound 2.82).
 * Accepted events are recorded as Nova records them: an extend_volume action for
 * volume-extended, start/stop for power-update; the others have nothing to act on here.
 */
import type { FastifyRequest } from 'fastify';
import { isNovaliteError } from '../../errors';
import type { Server } from '../../model/servers';
import type { RouteModule, VersionedSchema } from '../types';

const P = 'os_compute_api:os-server-external-events:create';
const BASE_NAMES = ['network-changed', 'network-vif-plugged', 'network-vif-unplugged', 'network-vif-deleted'];
const TAG_REQUIRED = ['volume-extended', 'power-update', 'accelerator-request-bound'];
const UUID = '^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$';

function schema(names: string[]): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      events: {
        type: 'array', minItems: 1,
        items: {
          type: 'object',
          properties: {
            name: { type: 'string', enum: names },
            server_uuid: { type: 'string', pattern: UUID },
            status: { type: 'string', enum: ['failed', 'completed', 'in-progress'] },
            tag: { type: 'string', maxLength: 255 },
          },
          required: ['name', 'server_uuid'], additionalProperties: false,
        },
      },
    },
    required: ['events'], additionalProperties: false,
  };
}

const BODY: VersionedSchema[] = [
  { max: '2.50', schema: schema(BASE_NAMES) },
  { min: '2.51', max: '2.75', schema: schema([...BASE_NAMES, 'volume-extended']) },
  { min: '2.76', max: '2.81', schema: schema([...BASE_NAMES, 'volume-extended', 'power-update']) },
  { min: '2.82', schema: schema([...BASE_NAMES, 'volume-extended', 'power-update', 'accelerator-request-bound']) },
];

interface Event { name: string; server_uuid: string; status?: string; tag?: string; code?: number }

/** The instance action Nova records for an accepted event, if any. */
function actionFor(e: Event): { action: string; event: string } | null {
  if (e.name === 'volume-extended') return { action: 'extend_volume', event: 'compute_extend_volume' };
  if (e.name === 'power-update' && e.tag === 'POWER_ON') return { action: 'start', event: 'compute_power_update' };
  if (e.name === 'power-update' && e.tag === 'POWER_OFF') return { action: 'stop', event: 'compute_power_update' };
  return null;
}

const statusOf = new WeakMap<FastifyRequest, number>();

export const externalEventRoutes: RouteModule = (deps) => [{
  method: 'POST', url: '/os-server-external-events', policy: P, body: BODY, status: (req) => statusOf.get(req) ?? 200,
  summary: 'Deliver external events about servers (network, volume, power, accelerator); 207 when some fail.',
  handler: async (req) => {
    const events = (req.body as { events: Event[] }).events;
    const servers = new Map<string, Server | null>();
    for (const uuid of new Set(events.map((e) => e.server_uuid))) {
      const s = await deps.ctx.servers.get(uuid).catch((e: unknown) => {
        if (isNovaliteError(e) && e.category === 'not_found') return null;
        throw e;
      });
      servers.set(uuid, s);
    }
    let status = 200;
    const out: Event[] = [];
    for (const e of events) {
      const s = servers.get(e.server_uuid);
      const fail = (code: number) => { status = 207; out.push({ ...e, status: 'failed', code }); };
      if (!s) { fail(404); continue; }
      if (TAG_REQUIRED.includes(e.name) && e.tag === undefined) { fail(400); continue; }
      if (!s.host) { fail(422); continue; }
      out.push({ ...e, status: 'completed', code: 200 });
      const a = actionFor(e);
      if (a) await deps.ctx.serverActions.recordAction(s, a.action, req.caller.userId, { event: a.event, projectId: req.caller.projectId });
    }
    statusOf.set(req, status);
    return { events: out };
  },
}];
externalEventRoutes.rules = { [P]: 'rule:admin_api' };
