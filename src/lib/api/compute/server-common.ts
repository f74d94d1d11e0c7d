/**
 * What every server route shares: finding the server a caller may see (404, not 403, for
 * another project's, as Nova's project-scoped lookup does), the policy check against the
 * server's project, links, and answering 202 once the work has become a durable task while the
 * task runs on in this process.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../../context';
import { NotFoundError, NotSupportedError, isNovaliteError } from '../../errors';
import type { Server } from '../../model/servers';
import { untilStarted, type StartedTask } from '../../services/accept';
import type { ApiDeps, Caller } from '../types';

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The project a caller's lookups are limited to (none for an admin). */
export function scope(caller: Caller): string | undefined {
  return caller.isAdmin ? undefined : caller.projectId;
}

/**
 * The server `id` as `req.caller` may see it, after the policy `rule` allowed the caller to act
 * on it (its project and user are the target). Names are not ids here: Nova answers 404.
 */
export async function loadServer(deps: ApiDeps, req: FastifyRequest, id: string, rule: string | null, opts: { includeDeleted?: boolean } = {}): Promise<Server> {
  const missing = () => new NotFoundError('Instance', id, { hint: 'It does not exist, or it belongs to another project.' });
  if (!UUID_RE.test(id)) throw missing();
  let s: Server;
  try {
    s = await deps.ctx.servers.get(id.toLowerCase(), scope(req.caller), opts);
  } catch (e) {
    if (isNovaliteError(e) && (e.category === 'not_found' || e.code === 'AMBIGUOUS_NAME')) throw missing();
    throw e;
  }
  if (s.uuid !== id.toLowerCase()) throw missing();
  if (rule) deps.policy.enforce(rule, req.caller, { projectId: s.projectId, userId: s.userId });
  return s;
}

/** Whether `rule` allows the caller (for fields and details a policy shows or hides). */
export function allowed(deps: ApiDeps, req: FastifyRequest, rule: string, target: { projectId?: string | null } = {}): boolean {
  try {
    deps.policy.enforce(rule, req.caller, target);
    return true;
  } catch {
    return false;
  }
}

export function links(base: string, collection: string, id: string): Array<{ rel: string; href: string }> {
  return [{ rel: 'self', href: `${base}/v2.1/${collection}/${id}` }, { rel: 'bookmark', href: `${base}/${collection}/${id}` }];
}

/** Nova's 501 for what the driver (or novalite) does not implement; the handler returns after it. */
export function notImplemented(reply: FastifyReply, message: string): void {
  reply.code(501).send({ notImplemented: { code: 501, message } });
}

/** A NotSupportedError becomes 501 where Nova answers 501 (NotImplementedError from the driver). */
export async function orNotImplemented<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof NotSupportedError) { notImplemented(reply, e.hint ? `${e.message} ${e.hint}` : e.message); return undefined; }
    throw e;
  }
}

const pending = new WeakMap<Context, Set<Promise<unknown>>>();

/**
 * Runs `work` and resolves when it has started a task `wanted` accepts (the task then runs on:
 * its failure is recorded on the server by the task itself), or when it finished without one.
 * Refusals before any task starts reject as usual.
 */
export async function accepted<T>(deps: ApiDeps, req: FastifyRequest, work: () => Promise<T>, wanted?: (t: StartedTask) => boolean): Promise<{ started: StartedTask | null; value?: T }> {
  const out = await untilStarted(work, wanted);
  if (!out.started) return { started: null, value: out.value };
  let set = pending.get(deps.ctx);
  if (!set) { set = new Set(); pending.set(deps.ctx, set); }
  const p: Promise<unknown> = out.done.catch((e) => req.log.warn({ err: e, task: out.started }, 'background task failed'));
  set.add(p);
  void p.finally(() => set!.delete(p));
  return { started: out.started };
}

/** Waits until every task a request left running on `ctx` has finished (tests, shutdown). */
export async function settled(ctx: Context): Promise<void> {
  const set = pending.get(ctx);
  while (set && set.size) await Promise.allSettled([...set]);
}

/** Nova's time format for created/updated: seconds, Z. */
export function isoSeconds(t: string | null | undefined): string | null {
  if (!t) return null;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? t : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Nova's str(datetime) times (instance actions, launched_at): no zone, microseconds. */
export function novaTime(t: string | null | undefined): string | null {
  if (!t) return null;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? t : `${d.toISOString().slice(0, 23)}000`;
}
