/** Nova's version documents: `GET /` lists the API versions, `GET /v2.1/` describes v2.1. */
import { MAX_VERSION, MIN_VERSION } from './microversion';

export function versionDoc(base: string): Record<string, unknown> {
  return { id: 'v2.1', status: 'CURRENT', version: MAX_VERSION, min_version: MIN_VERSION, updated: '2013-07-23T11:33:21Z', links: [{ rel: 'self', href: `${base}/v2.1/` }] };
}

/** `GET /` (v2.0 kept as SUPPORTED, as Nova does). */
export function computeVersions(base: string): Record<string, unknown> {
  return {
    versions: [
      { id: 'v2.0', status: 'SUPPORTED', version: '', min_version: '', updated: '2011-01-21T11:33:21Z', links: [{ rel: 'self', href: `${base}/v2/` }] },
      versionDoc(base),
    ],
  };
}
