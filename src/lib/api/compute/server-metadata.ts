/**
 * /servers/{id}/metadata and /servers/{id}/metadata/{key}: list, merge (POST), replace (PUT),
 * one item (GET, PUT, DELETE). Changes need the server active, paused, suspended or stopped and
 * unlocked (409 otherwise) and stay within the metadata_items quota (403).
 */
import type { FastifyRequest } from 'fastify';
import { InvalidInputError, NotFoundError } from '../../errors';
import type { ApiDeps, RouteDef } from '../types';
import { loadServer } from './server-common';
import { METADATA, obj } from './server-schemas';

const P = (name: string) => `os_compute_api:server-metadata:${name}`;
type Params = { id: string; key?: string };
const params = (req: FastifyRequest) => req.params as Params;

export const METADATA_RULES: Record<string, string> = {
  [P('index')]: 'rule:admin_or_reader', [P('show')]: 'rule:admin_or_reader', [P('create')]: 'rule:admin_or_member',
  [P('update_all')]: 'rule:admin_or_member', [P('update')]: 'rule:admin_or_member', [P('delete')]: 'rule:admin_or_member',
};

const ALL = [{ schema: obj({ metadata: METADATA }, ['metadata']) }];
const ONE = [{ schema: obj({ meta: { ...METADATA, minProperties: 1, maxProperties: 1 } }, ['meta']) }];

export function metadataRoutes(deps: ApiDeps): RouteDef[] {
  const server = (req: FastifyRequest, rule: string) => loadServer(deps, req, params(req).id, P(rule));
  const change = async (req: FastifyRequest, rule: string, replace: boolean) => {
    const s = await server(req, rule);
    return { metadata: await deps.ctx.serverAttributes.updateMetadata(s, (req.body as { metadata: Record<string, string> }).metadata, { replace }) };
  };
  return [
    { method: 'GET', url: '/servers/:id/metadata', policy: P('index'), summary: 'List server metadata', handler: async (req) => ({ metadata: (await server(req, 'index')).metadata }) },
    { method: 'POST', url: '/servers/:id/metadata', policy: P('create'), summary: 'Add or change server metadata items', body: ALL, handler: (req) => change(req, 'create', false) },
    { method: 'PUT', url: '/servers/:id/metadata', policy: P('update_all'), summary: 'Replace server metadata', body: ALL, handler: (req) => change(req, 'update_all', true) },
    {
      method: 'GET', url: '/servers/:id/metadata/:key', policy: P('show'), summary: 'Show one server metadata item',
      handler: async (req) => {
        const s = await server(req, 'show');
        const key = params(req).key!;
        if (!(key in s.metadata)) throw new NotFoundError('Metadata item', key, { hint: 'Metadata item was not found.' });
        return { meta: { [key]: s.metadata[key] } };
      },
    },
    {
      method: 'PUT', url: '/servers/:id/metadata/:key', policy: P('update'), summary: 'Set one server metadata item', body: ONE,
      handler: async (req) => {
        const s = await server(req, 'update');
        const meta = (req.body as { meta: Record<string, string> }).meta;
        if (!(params(req).key! in meta)) throw new InvalidInputError('Request body and URI mismatch', { code: 'URI_MISMATCH' });
        await deps.ctx.serverAttributes.updateMetadata(s, meta);
        return { meta };
      },
    },
    {
      method: 'DELETE', url: '/servers/:id/metadata/:key', policy: P('delete'), summary: 'Delete one server metadata item', status: 204,
      handler: async (req) => { await deps.ctx.serverAttributes.deleteMetadata(await server(req, 'delete'), params(req).key!); },
    },
  ];
}
