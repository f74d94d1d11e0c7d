/**
 * os-keypairs: a user's key pairs (an admin names another user with user_id from 2.10), type
 * ssh/x509 from 2.2, limit/marker paging from 2.35, '.' and '@' in names and an obligatory
 * public_key (no more generation) from 2.92. Create answers 201 from 2.2 (200 before), delete
 * 204 from 2.2 (202 before). Policy is by user: `user_id:%(user_id)s` or admin.
 */
import type { FastifyRequest } from 'fastify';
import { InvalidInputError } from '../../errors';
import type { KeyPair } from '../../model/images';
import type { ApiDeps, RouteModule, VersionedSchema } from '../types';
import { collectionUrl, inner, NAME } from './flavor-params';
import { checkQuery, first, nextLinks, paging, type Query } from './limit-query';

const P = 'os_compute_api:os-keypairs';

const nameV = (chars: string) => ({ allOf: [NAME, { type: 'string', pattern: `^[${chars}a-zA-Z0-9]+$`, minLength: 1, maxLength: 255 }] });
const keypairBody = (props: Record<string, unknown>, required: string[]) => ({
  type: 'object', required: ['keypair'], additionalProperties: false,
  properties: { keypair: { type: 'object', properties: props, required, additionalProperties: false } },
});
const TYPE = { type: 'string', enum: ['ssh', 'x509'] };
const OLD_NAME = nameV('_\\- ');
export const KEYPAIR_CREATE: VersionedSchema[] = [
  { max: '2.1', schema: keypairBody({ name: OLD_NAME, public_key: { type: 'string' } }, ['name']) },
  { min: '2.2', max: '2.9', schema: keypairBody({ name: OLD_NAME, type: TYPE, public_key: { type: 'string' } }, ['name']) },
  { min: '2.10', max: '2.91', schema: keypairBody({ name: OLD_NAME, type: TYPE, public_key: { type: 'string' }, user_id: { type: 'string' } }, ['name']) },
  { min: '2.92', schema: keypairBody({ name: nameV('_\\-@. '), type: TYPE, public_key: { type: 'string' }, user_id: { type: 'string' } }, ['name', 'public_key']) },
];

/** The user a request is about: ?user_id (2.10, checked by policy) or the caller. */
function userOf(deps: ApiDeps, req: FastifyRequest, q: Query, rule: string, given?: string): string {
  const asked = given ?? (req.mv.gte('2.10') ? first(q, 'user_id') : undefined);
  const userId = asked || req.caller.userId;
  deps.policy.enforce(rule, req.caller, { userId, projectId: req.caller.projectId });
  return userId;
}

function listItem(req: FastifyRequest, k: KeyPair): Record<string, unknown> {
  const out: Record<string, unknown> = { name: k.name, public_key: k.publicKey, fingerprint: k.fingerprint };
  if (req.mv.gte('2.2')) out.type = k.type;
  return out;
}

function showView(req: FastifyRequest, k: KeyPair): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: k.name, public_key: k.publicKey, fingerprint: k.fingerprint, user_id: k.userId,
    created_at: k.createdAt, deleted: false, deleted_at: null, id: k.id ?? 0, updated_at: null,
  };
  if (req.mv.gte('2.2')) out.type = k.type;
  return out;
}

const queryKeys = (req: FastifyRequest) => (req.mv.gte('2.35') ? ['user_id', 'limit', 'marker'] : ['user_id']);

export const keypairRoutes: RouteModule = (deps) => [
  {
    method: 'GET', url: '/os-keypairs', policy: `${P}:index`, summary: "List a user's key pairs (limit/marker from 2.35).",
    handler: async (req) => {
      const q = checkQuery(req, queryKeys(req), '2.75');
      const userId = userOf(deps, req, q, `${P}:index`);
      let list = await deps.ctx.keypairs.list(userId);
      if (!req.mv.gte('2.35')) return { keypairs: list.map((k) => ({ keypair: listItem(req, k) })) };
      const { limit, marker } = paging(q);
      if (marker !== undefined) {
        const i = list.findIndex((k) => k.name === marker);
        if (i < 0) throw new InvalidInputError(`Marker ${marker.slice(0, 80)} could not be found.`, { code: 'MARKER_NOT_FOUND' });
        list = list.slice(i + 1);
      }
      list = list.slice(0, limit);
      const out: Record<string, unknown> = { keypairs: list.map((k) => ({ keypair: listItem(req, k) })) };
      const next = nextLinks(q, list.length, list.at(-1)?.name, collectionUrl(deps, req, 'os-keypairs'));
      if (next.length) out.keypairs_links = next;
      return out;
    },
  },
  {
    method: 'GET', url: '/os-keypairs/:name', policy: `${P}:show`, summary: 'Show a key pair.',
    handler: async (req) => {
      const q = checkQuery(req, ['user_id'], '2.75');
      const userId = userOf(deps, req, q, `${P}:show`);
      return { keypair: showView(req, await deps.ctx.keypairs.get((req.params as { name: string }).name, userId)) };
    },
  },
  {
    method: 'POST', url: '/os-keypairs', policy: `${P}:create`, body: KEYPAIR_CREATE, status: (req) => (req.mv.gte('2.2') ? 201 : 200),
    summary: 'Import a public key (or, before 2.92, generate a key pair and return its private key once).',
    handler: async (req) => {
      const b = inner<{ name: string; public_key?: string; type?: 'ssh' | 'x509'; user_id?: string }>(req, 'keypair');
      const userId = userOf(deps, req, {}, `${P}:create`, (req.mv.gte('2.10') && b.user_id) || undefined);
      const created = await deps.ctx.keypairs.create({
        name: b.name.trim(), userId, projectId: userId === req.caller.userId ? req.caller.projectId : null,
        type: req.mv.gte('2.2') ? b.type ?? 'ssh' : 'ssh', publicKey: b.public_key,
      });
      const k = created.keypair;
      const out: Record<string, unknown> = { name: k.name, public_key: k.publicKey, fingerprint: k.fingerprint, user_id: k.userId };
      if (req.mv.gte('2.2')) out.type = k.type;
      if (created.privateKey) out.private_key = created.privateKey;
      return { keypair: out };
    },
  },
  {
    method: 'DELETE', url: '/os-keypairs/:name', policy: `${P}:delete`, status: (req) => (req.mv.gte('2.2') ? 204 : 202), summary: 'Delete a key pair.',
    handler: async (req) => {
      const q = checkQuery(req, ['user_id'], '2.75');
      const userId = userOf(deps, req, q, `${P}:delete`);
      await deps.ctx.keypairs.delete((req.params as { name: string }).name, userId);
      return undefined;
    },
  },
];

const OWN = 'rule:admin_api or user_id:%(user_id)s';
keypairRoutes.rules = { [`${P}:index`]: OWN, [`${P}:create`]: OWN, [`${P}:show`]: OWN, [`${P}:delete`]: OWN };
