/**
 * The OpenAPI 3.0 document of the whole server, generated from the registered routes: one
 * operation per route with its summary, policy rule, microversion range, path parameters,
 * request body (one schema per microversion range, as `oneOf` with the range in each
 * description), success status and the fault shape of errors; X-Auth-Token and HTTP Basic as
 * security schemes (routes without a policy need neither).
 */
import { MAX_VERSION, MIN_VERSION } from '../microversion';
import type { RouteDef } from '../types';
import { toOas30 } from './openapi-schema';

export type DocumentedRoute = RouteDef & { service: string; path: string };

const range = (min?: string, max?: string) => (min && max ? `microversions ${min} to ${max}` : min ? `microversion ${min} and later` : max ? `microversions up to ${max}` : 'every microversion');

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted: the work continues asynchronously', 204: 'No content', 300: 'Multiple choices (versions)' };

function requestBody(r: DocumentedRoute): Record<string, unknown> | undefined {
  if (r.service === 'image' && r.method === 'PUT') {
    return { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } };
  }
  if (!r.body?.length) return undefined;
  const media = r.service === 'image' && r.method === 'PATCH' ? 'application/openstack-images-v2.1-json-patch' : 'application/json';
  const variants = r.body.map((b) => ({ ...(toOas30(b.schema) as Record<string, unknown>), description: `The body at ${range(b.min, b.max)}.` }));
  const schema = variants.length === 1 ? variants[0] : { oneOf: variants, description: 'One schema per microversion range; the request\'s microversion picks it.' };
  return { required: true, content: { [media]: { schema } } };
}

function operation(r: DocumentedRoute, opIds: Set<string>): Record<string, unknown> {
  const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  const headers = r.service === 'compute' ? [{ $ref: '#/components/parameters/MicroversionHeader' }, { $ref: '#/components/parameters/LegacyMicroversionHeader' }] : [];
  let id = `${r.service}_${r.method.toLowerCase()}${r.path.replace(/^\/[^/]+/, '').replace(/[/:{}.-]+/g, '_').replace(/_+$/, '')}`;
  while (opIds.has(id)) id += '_';
  opIds.add(id);
  const responses: Record<string, unknown> = {};
  const status = typeof r.status === 'function' ? '2XX' : String(r.status ?? 200);
  responses[status] = { description: typeof r.status === 'function' ? 'Success (the status depends on the request, e.g. 200 or 207)' : STATUS_TEXT[r.status ?? 200] ?? 'Success' };
  responses.default = { description: 'An error: a fault named after its kind (badRequest, itemNotFound, forbidden, conflictingRequest …)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Fault' } } } };
  const op: Record<string, unknown> = {
    operationId: id, summary: r.summary, tags: [r.service === 'compute' ? r.url.split('/')[1] || 'versions' : r.service],
    parameters: [...params, ...headers], responses,
    security: r.policy === null ? [] : [{ Token: [] }, { Basic: [] }],
    'x-policy': r.policy,
  };
  if (r.minVersion || r.maxVersion) {
    op['x-microversion'] = { min: r.minVersion ?? MIN_VERSION, max: r.maxVersion ?? MAX_VERSION };
    op.description = `Available at ${range(r.minVersion, r.maxVersion)} (404 otherwise).`;
  }
  const body = requestBody(r);
  if (body) op.requestBody = body;
  return op;
}

export function openapiDocument(routes: readonly DocumentedRoute[], base: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const opIds = new Set<string>();
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[r.method.toLowerCase()] = operation(r, opIds);
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'novalite REST API',
      version: MAX_VERSION,
      description: `OpenStack Compute API v2.1 (microversions ${MIN_VERSION} to ${MAX_VERSION}) under /v2.1, a minimal Keystone v3 under /identity and an Image v2 subset under /image.`,
    },
    servers: [{ url: base }],
    paths,
    components: {
      securitySchemes: {
        Token: { type: 'apiKey', in: 'header', name: 'X-Auth-Token', description: 'A token from POST /identity/v3/auth/tokens (X-Subject-Token).' },
        Basic: { type: 'http', scheme: 'basic', description: 'A user name and password (serve --auth http_basic).' },
      },
      parameters: {
        MicroversionHeader: { name: 'OpenStack-API-Version', in: 'header', required: false, schema: { type: 'string', example: `compute ${MAX_VERSION}` }, description: `compute X.Y or compute latest; ${MIN_VERSION} when absent.` },
        LegacyMicroversionHeader: { name: 'X-OpenStack-Nova-API-Version', in: 'header', required: false, schema: { type: 'string', example: MAX_VERSION } },
      },
      schemas: {
        Fault: {
          type: 'object', minProperties: 1, maxProperties: 1,
          additionalProperties: { type: 'object', properties: { code: { type: 'integer' }, message: { type: 'string' } }, required: ['code', 'message'] },
        },
      },
    },
  };
}
