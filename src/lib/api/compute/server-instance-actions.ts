/**
 * /servers/{id}/os-instance-actions (+ /{request_id}): the action log of a server, also of a
 * deleted one from 2.21. 2.51 shows events to owners (tracebacks stay admin-only), 2.58 adds
 * updated_at, paging and changes-since (2.66 changes-before), 2.62 the event host (admin) and
 * hostId, 2.84 event details (admin).
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { InvalidInputError, NotFoundError } from '../../errors';
import type { InstanceAction } from '../../model/servers';
import type { ApiDeps, RouteDef } from '../types';
import { checkQuery, isoParam, nextLinks, paging } from './limit-query';
import { allowed, loadServer, novaTime } from './server-common';

const P = (name: string) => `os_compute_api:os-instance-actions:${name}`;
type Params = { id: string; requestId?: string };
const params = (req: FastifyRequest) => req.params as Params;

export const INSTANCE_ACTION_RULES: Record<string, string> = {
  [P('list')]: 'rule:admin_or_reader', [P('show')]: 'rule:admin_or_reader', [P('events')]: 'rule:admin_api', [P('events:details')]: 'rule:admin_api',
};

function actionView(a: InstanceAction, req: FastifyRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {
    action: a.action, instance_uuid: a.instanceUuid, request_id: a.requestId, user_id: a.userId ?? '', project_id: a.projectId ?? '',
    start_time: novaTime(a.startTime), message: a.message,
  };
  if (req.mv.gte('2.58')) out.updated_at = novaTime(a.finishTime ?? a.startTime);
  return out;
}

const updatedAt = (a: InstanceAction) => a.finishTime ?? a.startTime ?? '';

export function instanceActionRoutes(deps: ApiDeps): RouteDef[] {
  const server = (req: FastifyRequest, rule: string) => loadServer(deps, req, params(req).id, P(rule), { includeDeleted: req.mv.gte('2.21') });
  return [
    {
      method: 'GET', url: '/servers/:id/os-instance-actions', policy: P('list'), summary: 'List the actions of a server',
      handler: async (req) => {
        const q = checkQuery(req, ['limit', 'marker', 'changes-since', ...(req.mv.gte('2.66') ? ['changes-before'] : [])], '2.58');
        const s = await server(req, 'list');
        let actions = await deps.ctx.serverActions.events(s.uuid, s.projectId);
        if (req.mv.lt('2.58')) return { instanceActions: actions.map((a) => actionView(a, req)) };
        const since = isoParam(q, 'changes-since');
        const before = req.mv.gte('2.66') ? isoParam(q, 'changes-before') : undefined;
        if (since && before && before < since) throw new InvalidInputError('The value of changes-since must be less than or equal to changes-before.');
        if (since) actions = actions.filter((a) => new Date(updatedAt(a)) >= since);
        if (before) actions = actions.filter((a) => new Date(updatedAt(a)) <= before);
        const { limit, marker } = paging(q);
        if (marker !== undefined) {
          const i = actions.findIndex((a) => a.requestId === marker);
          if (i < 0) throw new InvalidInputError(`Marker ${marker} could not be found.`, { code: 'MARKER_NOT_FOUND' });
          actions = actions.slice(i + 1);
        }
        actions = actions.slice(0, limit);
        const out: Record<string, unknown> = { instanceActions: actions.map((a) => actionView(a, req)) };
        const links = nextLinks(q, actions.length, actions[actions.length - 1]?.requestId, `${deps.baseUrl(req)}/v2.1/servers/${s.uuid}/os-instance-actions`);
        if (links.length) out.links = links;
        return out;
      },
    },
    {
      method: 'GET', url: '/servers/:id/os-instance-actions/:requestId', policy: P('show'), summary: 'Show one action of a server, with its events',
      handler: async (req) => {
        const s = await server(req, 'show');
        const a = await deps.ctx.serverActions.event(s.uuid, s.projectId, params(req).requestId!).catch((e) => {
          throw e instanceof NotFoundError ? new NotFoundError('Action', params(req).requestId!) : e;
        });
        const out = actionView(a, req);
        const target = { projectId: s.projectId };
        const admin = allowed(deps, req, P('events'), target);
        if (admin || req.mv.gte('2.51')) {
          const details = req.mv.gte('2.84') && allowed(deps, req, P('events:details'), target);
          out.events = a.events.map((e) => {
            const ev: Record<string, unknown> = { event: e.event, start_time: novaTime(e.startTime), finish_time: novaTime(e.finishTime), result: e.result };
            if (admin) ev.traceback = e.traceback;
            if (admin && req.mv.gte('2.62')) ev.host = e.host ?? '';
            if (req.mv.gte('2.62')) ev.hostId = e.host ? createHash('sha224').update(`${a.projectId ?? s.projectId}${e.host}`).digest('hex') : '';
            if (details) ev.details = e.details;
            return ev;
          });
        }
        return { instanceAction: out };
      },
    },
  ];
}
