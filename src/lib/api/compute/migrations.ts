/**
 * os-migrations (every cell's migration records, newest first, with Nova's filters; paging,
 * changes-since and a strict query from 2.59, changes-before from 2.66, user and project
 * filters from 2.80) and, from server-migrations.ts, /servers/{id}/migrations.
 */
import type { FastifyRequest } from 'fastify';
import { InvalidInputError } from '../../errors';
import type { Migration } from '../../model/migrations';
import type { RouteModule } from '../types';
import { checkQuery, first, isoParam, nextLinks, paging, type Query } from './limit-query';
import { osMigrationView } from './migration-views';
import { serverMigrationRoutes, SERVER_MIGRATION_RULES } from './migration-server';

const P = 'os_compute_api:os-migrations';
const TYPES = ['resize', 'migration', 'live-migration', 'evacuation'];
const FILTERS = ['hidden', 'host', 'instance_uuid', 'source_compute', 'status', 'migration_type'];

/** The query parameters each microversion knows (before 2.59 others are ignored, as Nova ignores them). */
function allowedParams(req: FastifyRequest): string[] {
  const out = [...FILTERS];
  if (req.mv.gte('2.59')) out.push('limit', 'marker', 'changes-since');
  if (req.mv.gte('2.66')) out.push('changes-before');
  if (req.mv.gte('2.80')) out.push('user_id', 'project_id');
  return out;
}

/** Filters the service does not apply: source host, times, user and project. */
function keep(req: FastifyRequest, q: Query): (m: Migration) => boolean {
  const since = req.mv.gte('2.59') ? isoParam(q, 'changes-since') : undefined;
  const before = req.mv.gte('2.66') ? isoParam(q, 'changes-before') : undefined;
  if (since && before && before < since) throw new InvalidInputError('The value of changes-since must be less than or equal to changes-before.');
  const source = first(q, 'source_compute');
  const instance = first(q, 'instance_uuid');
  const user = req.mv.gte('2.80') ? first(q, 'user_id') : undefined;
  const project = req.mv.gte('2.80') ? first(q, 'project_id') : undefined;
  return (m) => {
    const t = new Date(m.updatedAt ?? m.createdAt);
    return (!source || m.sourceCompute === source) && (!instance || m.instanceUuid === instance)
      && (!since || t >= since) && (!before || t <= before) && (!user || m.userId === user) && (!project || m.projectId === project);
  };
}

export const migrationRoutes: RouteModule = (deps) => [
  {
    method: 'GET', url: '/os-migrations', policy: `${P}:index`, summary: 'List migrations of every cell (resize, cold and live migration, evacuation), newest first.',
    handler: async (req) => {
      const q = checkQuery(req, allowedParams(req), '2.59');
      const type = first(q, 'migration_type');
      const filter = keep(req, q);
      const all = type && !TYPES.includes(type) ? [] : await deps.ctx.serverMoves.listMigrations({ host: first(q, 'host'), status: first(q, 'status'), type });
      let rows = all.filter(filter);
      const base = deps.baseUrl(req);
      if (!req.mv.gte('2.59')) return { migrations: rows.map((m) => osMigrationView(m, req.mv, base)) };
      const { limit, marker } = paging(q);
      if (marker !== undefined) {
        const at = rows.findIndex((m) => m.uuid === marker);
        if (at < 0) throw new InvalidInputError(`Marker ${marker} could not be found.`, { code: 'MARKER_NOT_FOUND' });
        rows = rows.slice(at + 1);
      }
      rows = rows.slice(0, limit);
      const links = nextLinks(q, rows.length, rows[rows.length - 1]?.uuid, `${base}/v2.1/os-migrations`);
      return { migrations: rows.map((m) => osMigrationView(m, req.mv, base)), ...(links.length ? { migrations_links: links } : {}) };
    },
  },
  ...serverMigrationRoutes(deps),
];
migrationRoutes.rules = {
  [`${P}:index`]: 'rule:admin_api',
  ...SERVER_MIGRATION_RULES,
};
