/**
 * The REST fault mapper (the second of the two error mappers, DESIGN §5): any error becomes
 * Nova's fault body `{"<name>": {"code": N, "message": …}}` with the status of its category;
 * anything that is not a NovaliteError is a bug: 500 computeFault, logged, with no detail out.
 */
import { HTTP_FAULTS, isNovaliteError } from '../errors';
import { VersionNotAcceptable } from './microversion';

export interface Fault { status: number; body: Record<string, { code: number; message: string; details?: string }> }

export function fault(status: number, name: string, message: string): Fault {
  return { status, body: { [name]: { code: status, message } } };
}

/** Maps an error (ours, fastify's, or a bug) to the fault a client gets. */
export function faultOf(e: unknown): Fault {
  if (e instanceof VersionNotAcceptable) return fault(406, 'notAcceptable', e.message);
  if (isNovaliteError(e)) {
    const [status, name] = HTTP_FAULTS[e.category];
    if (e.category === 'unauthorized') return fault(401, 'unauthorized', e.message);
    return fault(status, name, e.hint ? `${e.message} ${e.hint}` : e.message);
  }
  const f = e as { statusCode?: number; code?: string; message?: string; validation?: unknown };
  if (f?.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || f?.statusCode === 413) return fault(413, 'overLimit', 'The request body is too large.');
  if (f?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || f?.statusCode === 415) return fault(415, 'badMediaType', 'The request body must be JSON (Content-Type: application/json).');
  if (f?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return fault(400, 'badRequest', 'The request body is empty.');
  if (f?.validation || (f?.statusCode === 400 && f?.message)) return fault(400, 'badRequest', `Invalid input for the request: ${f.message}`);
  if (typeof f?.statusCode === 'number' && f.statusCode >= 400 && f.statusCode < 500) return fault(f.statusCode, 'badRequest', f.message ?? 'Bad request.');
  return fault(500, 'computeFault', 'Unexpected API Error. Please report this at the novalite issue tracker and attach the novalite serve log if possible.');
}
