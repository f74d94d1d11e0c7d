/**
 * /servers/{id}/tags (microversion 2.26): list, replace, delete all; /tags/{tag}: check (204 or
 * 404), add (201 with Location, 204 when present already), delete. Changes need the server
 * active, paused, suspended or stopped (409 otherwise).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidInputError, NotFoundError } from '../../errors';
import type { ApiDeps, RouteDef } from '../types';
import { loadServer } from './server-common';
import { obj, TAG } from './server-schemas';

const P = (name: string) => `os_compute_api:os-server-tags:${name}`;
type Params = { id: string; tag?: string };
const params = (req: FastifyRequest) => req.params as Params;

export const TAG_RULES: Record<string, string> = {
  [P('index')]: 'rule:admin_or_reader', [P('show')]: 'rule:admin_or_reader', [P('update')]: 'rule:admin_or_member',
  [P('update_all')]: 'rule:admin_or_member', [P('delete')]: 'rule:admin_or_member', [P('delete_all')]: 'rule:admin_or_member',
};

const ALL = [{ schema: obj({ tags: { type: 'array', items: TAG, maxItems: 50 } }, ['tags']) }];

export function tagRoutes(deps: ApiDeps): RouteDef[] {
  const server = (req: FastifyRequest, rule: string) => loadServer(deps, req, params(req).id, P(rule));
  const base = { minVersion: '2.26' } as const;
  return [
    { ...base, method: 'GET', url: '/servers/:id/tags', policy: P('index'), summary: 'List server tags', handler: async (req) => ({ tags: await deps.ctx.serverAttributes.tags(await server(req, 'index')) }) },
    {
      ...base, method: 'PUT', url: '/servers/:id/tags', policy: P('update_all'), summary: 'Replace server tags', body: ALL,
      handler: async (req) => ({ tags: await deps.ctx.serverAttributes.setTags(await server(req, 'update_all'), (req.body as { tags: string[] }).tags) }),
    },
    { ...base, method: 'DELETE', url: '/servers/:id/tags', policy: P('delete_all'), summary: 'Delete all server tags', status: 204, handler: async (req) => { await deps.ctx.serverAttributes.clearTags(await server(req, 'delete_all')); } },
    {
      ...base, method: 'GET', url: '/servers/:id/tags/:tag', policy: P('show'), summary: 'Check a server tag', status: 204,
      handler: async (req) => {
        const s = await server(req, 'show');
        if (!(await deps.ctx.serverAttributes.tags(s)).includes(params(req).tag!)) throw new NotFoundError('Tag', params(req).tag!, { hint: `Server ${s.uuid} has no such tag.` });
      },
    },
    {
      ...base, method: 'PUT', url: '/servers/:id/tags/:tag', policy: P('update'), summary: 'Add a server tag',
      handler: async (req: FastifyRequest, reply: FastifyReply) => {
        if (req.body !== undefined && req.body !== null) throw new InvalidInputError('Adding a tag takes no body.', { code: 'BODY_NOT_ALLOWED' });
        const s = await server(req, 'update');
        const tag = params(req).tag!;
        if (!/^[^,/]{1,60}$/.test(tag)) throw new InvalidInputError(`Tag '${tag.slice(0, 80)}' is invalid. It must be a non empty string without characters '/' and ',' of at most 60 characters.`);
        const added = await deps.ctx.serverAttributes.addTag(s, tag);
        if (added) reply.header('Location', `${deps.baseUrl(req)}/v2.1/servers/${s.uuid}/tags/${encodeURIComponent(tag)}`);
        reply.code(added ? 201 : 204).send();
      },
    },
    { ...base, method: 'DELETE', url: '/servers/:id/tags/:tag', policy: P('delete'), summary: 'Delete a server tag', status: 204, handler: async (req) => { await deps.ctx.serverAttributes.removeTag(await server(req, 'delete'), params(req).tag!); } },
  ];
}
