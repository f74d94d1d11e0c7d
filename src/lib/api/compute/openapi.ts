/**
 * GET /v2.1/openapi.json (and, through app.ts, /openapi.json at the root): the OpenAPI 3.0
 * document generated from every registered route. No token needed: it describes, it does not
 * reveal anything a client could not learn from the routes themselves.
 */
import type { RouteModule } from '../types';
import { openapiDocument } from './openapi-doc';

export { openapiDocument } from './openapi-doc';

export const openapiRoutes: RouteModule = (deps) => [{
  method: 'GET', url: '/openapi.json', policy: null, summary: 'The OpenAPI 3.0 document of this server (every service and route).',
  handler: async (req) => openapiDocument(deps.routes ?? [], deps.baseUrl(req)),
}];
