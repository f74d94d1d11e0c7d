/**
 * Keystone's error body, `{"error": {"code": N, "title": …, "message": …}}`, for the identity
 * routes (the compute routes keep Nova's fault bodies). Bugs still go to the app's 500 handler.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HTTP_FAULTS, isNovaliteError } from '../../errors';

const TITLES: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 503: 'Service Unavailable' };

export function keystoneError(reply: FastifyReply, status: number, message: string, base?: string): void {
  if (status === 401 && base) reply.header('WWW-Authenticate', `Keystone uri="${base}/identity"`);
  reply.code(status).send({ error: { code: status, title: TITLES[status] ?? 'Error', message } });
}

type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** Wraps a handler so that our errors answer in Keystone's shape. */
export function keystoneErrors(base: (req: FastifyRequest) => string, h: Handler): Handler {
  return async (req, reply) => {
    try {
      return await h(req, reply);
    } catch (e) {
      if (!isNovaliteError(e)) throw e;
      const [status] = HTTP_FAULTS[e.category];
      keystoneError(reply, status, e.category === 'unauthorized' ? e.message : (e.hint ? `${e.message} ${e.hint}` : e.message), base(req));
      return undefined;
    }
  };
}
