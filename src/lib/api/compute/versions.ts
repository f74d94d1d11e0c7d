/** `GET /v2.1` and `/v2.1/`: the compute version document, with the microversion range. */
import { versionDoc } from '../versions-doc';
import type { RouteModule } from '../types';

export const versionRoutes: RouteModule = (deps) => [{
  method: 'GET', url: '/', policy: null, summary: 'Show the Compute API v2.1 version document (microversion range).',
  handler: async (req) => ({
    version: {
      ...versionDoc(deps.baseUrl(req)),
      links: [{ rel: 'self', href: `${deps.baseUrl(req)}/v2.1/` }, { rel: 'describedby', type: 'text/html', href: 'https://docs.openstack.org/' }],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }],
    },
  }),
}];
