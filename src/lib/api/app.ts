/**
 * The REST server: Compute API v2.1 under /v2.1 (its version documents also at /), a minimal
 * Keystone v3 under /identity and Image v2 under /image, all over the same core and views as
 * the CLI. Every route is declared as a RouteDef (types.ts): microversion, authentication,
 * policy and body validation happen here, once, before a handler runs.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Context } from '../context';
import { InvalidInputError, NotFoundError } from '../errors';
import { authenticator, type AuthMode } from './auth';
import { COMPUTE_ROUTES, IDENTITY_ROUTES, IMAGE_ROUTES } from './routes';
import { faultOf } from './faults';
import { MIN, requestedVersion, versionHeaders } from './microversion';
import { computeVersions } from './versions-doc';
import { openapiDocument } from './compute/openapi';
import { Policy } from './policy';
import { DEFAULT_RULES } from './policy-rules';
import type { ApiDeps, RouteDef, RouteModule } from './types';
import { validateBody } from './validation';

export interface AppOptions {
  ctx: Context;
  auth: AuthMode;
  /** Rule overrides (from a YAML policy file). */
  policyOverrides?: Record<string, string>;
  /** Largest request body accepted (Nova's osapi_max_request_body_size: 112 KiB). */
  bodyLimit?: number;
  logger?: boolean;
  /** PEM certificate and key: serve HTTPS. */
  https?: { cert: Buffer; key: Buffer };
}

/** Every route of the server, for the OpenAPI document and the conformance tests. */
export interface RegisteredRoute extends RouteDef { service: 'compute' | 'identity' | 'image'; path: string }

const PREFIX = { compute: '/v2.1', identity: '/identity', image: '/image' } as const;

export function baseUrl(req: FastifyRequest): string {
  const proto = (req.headers['x-forwarded-proto'] as string | undefined) ?? req.protocol;
  const host = (req.headers['x-forwarded-host'] as string | undefined) ?? req.headers.host ?? 'localhost';
  return `${proto}://${host}`;
}

export async function buildApp(o: AppOptions): Promise<{ app: FastifyInstance; routes: RegisteredRoute[]; policy: Policy }> {
  const app = Fastify({ ...(o.https ? { https: o.https } : {}), logger: o.logger ?? false, bodyLimit: o.bodyLimit ?? 114688, routerOptions: { caseSensitive: true, ignoreTrailingSlash: true, ignoreDuplicateSlashes: true }, return503OnClosing: true });
  const defaults: Record<string, string> = { ...DEFAULT_RULES };
  for (const m of [...COMPUTE_ROUTES, ...IDENTITY_ROUTES, ...IMAGE_ROUTES]) Object.assign(defaults, m.rules ?? {});
  const policy = new Policy(defaults, o.policyOverrides ?? {});
  const auth = authenticator(o.ctx, o.auth);
  const routes: RegisteredRoute[] = [];
  const deps: ApiDeps = { ctx: o.ctx, baseUrl, policy, routes };

  app.decorateRequest('mv', null as never);
  app.decorateRequest('caller', null as never);
  app.decorateRequest('requestId', '');
  app.addHook('onRequest', async (req, reply) => {
    req.requestId = `req-${randomUUID()}`;
    req.mv = MIN;
    reply.header('x-openstack-request-id', req.requestId).header('x-compute-request-id', req.requestId);
  });
  // A JSON body that is not an object where one is expected is the schema's to refuse; a body that is not JSON is a 400.
  const parseJson = (_req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => {
    if (body === '' || body === undefined) { done(null, undefined); return; }
    try { done(null, JSON.parse(body as string)); } catch { done(new InvalidInputError('The request body is not valid JSON.', { code: 'MALFORMED_JSON' }), undefined); }
  };
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJson);
  // Glance's JSON Patch media types (PATCH /image/v2/images/{id}) are JSON too.
  app.addContentTypeParser(/^application\/openstack-images-v2\.\d+-json-patch$/, { parseAs: 'string' }, parseJson);
  // Image data (PUT /image/v2/images/{id}/file) reaches its handler as the request stream itself: unparsed, not bounded by bodyLimit.
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => { done(null, payload); });

  const mount = (service: RegisteredRoute['service'], mods: RouteModule[]) => {
    for (const mod of mods) {
      for (const def of mod(deps)) {
        const path = `${PREFIX[service]}${def.url}`;
        routes.push({ ...def, service, path });
        app.route({ method: def.method, url: path, handler: (req, reply) => run(service, def, req, reply) });
      }
    }
  };

  async function run(service: RegisteredRoute['service'], def: RouteDef, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    if (service === 'compute') {
      req.mv = requestedVersion(req.headers);
      reply.headers(versionHeaders(req.mv));
      if ((def.minVersion && req.mv.lt(def.minVersion)) || (def.maxVersion && req.mv.compare(def.maxVersion) > 0)) {
        throw new NotFoundError('Resource', req.url, { hint: `Not available at microversion ${req.mv}.` });
      }
    }
    if (def.policy !== null) {
      req.caller = await auth.authenticate(req);
      deps.policy.enforce(def.policy, req.caller, {});
    }
    if (def.body) validateBody(def.body, req.mv, req.body);
    else if (req.body !== undefined && req.body !== null && def.method !== 'POST' && def.method !== 'PUT') {
      throw new InvalidInputError('This request takes no body.', { code: 'BODY_NOT_ALLOWED' });
    }
    const out = await def.handler(req, reply);
    if (reply.sent) return undefined;
    const status = typeof def.status === 'function' ? def.status(req) : def.status ?? 200;
    reply.code(status);
    if (status === 204 || out === undefined) return reply.send();
    return out;
  }

  mount('compute', COMPUTE_ROUTES);
  mount('identity', IDENTITY_ROUTES);
  mount('image', IMAGE_ROUTES);
  // Tempest and version discovery ask the compute service's root; `/` is the compute versions list.
  app.get('/', async (req) => computeVersions(baseUrl(req)));
  // The OpenAPI document also at the root, where tools look for it first.
  app.get('/openapi.json', async (req) => openapiDocument(routes, baseUrl(req)));

  app.setNotFoundHandler((_req, reply) => {
    reply.code(404).send({ itemNotFound: { code: 404, message: 'The resource could not be found.' } });
  });
  app.setErrorHandler((err, req, reply) => {
    const f = faultOf(err);
    if (f.status >= 500) req.log.error({ err }, 'unexpected API error');
    if (f.status === 401) {
      reply.code(401).header('WWW-Authenticate', `Keystone uri="${baseUrl(req)}/identity"`).send({ error: { code: 401, title: 'Unauthorized', message: Object.values(f.body)[0].message } });
      return;
    }
    reply.code(f.status).send(f.body);
  });
  return { app, routes, policy };
}
