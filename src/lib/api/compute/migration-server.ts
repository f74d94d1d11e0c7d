/**
 * /servers/{id}/migrations: a server's live migrations in progress (2.23), one of them (2.23),
 * force-complete (2.22) and abort (2.24; queued and preparing ones too from 2.65). Admin only, as
 * Nova's defaults. A forced completion is recorded as Nova records it; the live migration
 * itself has no post-copy switch to flip, so it finishes as it would have. Aborting is refused:
 * a live migration task runs to its end or fails (rolled back) on its own.
 */
import type { FastifyRequest } from 'fastify';
import { ConflictError, InvalidInputError, InvalidStateError, NotFoundError, NotSupportedError } from '../../errors';
import type { Migration } from '../../model/migrations';
import type { Server } from '../../model/servers';
import type { ApiDeps, RouteDef } from '../types';
import { checkQuery } from './limit-query';
import { isLiveInProgress, serverMigrationView } from './migration-views';

const P = 'os_compute_api:servers:migrations';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const SERVER_MIGRATION_RULES: Record<string, string> = {
  [`${P}:index`]: 'rule:admin_api',
  [`${P}:show`]: 'rule:admin_api',
  [`${P}:force_complete`]: 'rule:admin_api',
  [`${P}:delete`]: 'rule:admin_api',
};

const FORCE_COMPLETE = [{ schema: { type: 'object', properties: { force_complete: { type: 'null' } }, required: ['force_complete'], additionalProperties: false } }];

export const serverMigrationRoutes = (deps: ApiDeps): RouteDef[] => {
  /** The server of the path (by UUID, as Nova finds it), with `rule` checked against its project. */
  const server = async (req: FastifyRequest, rule: string): Promise<Server> => {
    const { id } = req.params as { id: string };
    if (!UUID.test(id)) throw new NotFoundError('Server', id);
    const s = await deps.ctx.servers.get(id);
    deps.policy.enforce(rule, req.caller, { projectId: s.projectId });
    return s;
  };
  const migrationsOf = (s: Server) => deps.ctx.serverMoves.listMigrations({ server: s.uuid });
  /** The migration of the path, or `missing` (Nova answers 404 or 400 depending on the call). */
  const migration = async (req: FastifyRequest, s: Server, missing: (msg: string) => Error): Promise<Migration> => {
    const { migrationId } = req.params as { migrationId: string };
    const m = /^\d+$/.test(migrationId) ? (await migrationsOf(s)).find((x) => x.id === Number(migrationId)) : undefined;
    if (!m) throw missing(`Instance ${s.uuid} is not migrating: migration ${migrationId} was not found for it.`);
    return m;
  };
  /** Nova's check_instance_lock and check_instance_state(task_state=[MIGRATING]). */
  const migrating = (s: Server, what: string) => {
    if (s.locked) throw new ConflictError(`Instance ${s.uuid} is locked.`, { code: 'SERVER_LOCKED' });
    if (s.taskState !== 'migrating') throw new InvalidStateError(`Cannot '${what}' instance ${s.uuid} while it is in task_state ${s.taskState ?? 'None'}.`);
  };
  return [
    {
      method: 'GET', url: '/servers/:id/migrations', policy: `${P}:index`, minVersion: '2.23', summary: 'List the live migrations of a server that are in progress.',
      handler: async (req) => {
        checkQuery(req, [], null);
        const s = await server(req, `${P}:index`);
        return { migrations: (await migrationsOf(s)).filter(isLiveInProgress).map((m) => serverMigrationView(m, req.mv)) };
      },
    },
    {
      method: 'GET', url: '/servers/:id/migrations/:migrationId', policy: `${P}:show`, minVersion: '2.23', summary: 'Show a live migration of a server in progress.',
      handler: async (req) => {
        const s = await server(req, `${P}:show`);
        const m = await migration(req, s, (msg) => new NotFoundError('Migration', (req.params as { migrationId: string }).migrationId, { hint: msg }));
        if (!isLiveInProgress(m)) throw new NotFoundError('In-progress live migration', String(m.id), { hint: `It is a ${m.migrationType} in status ${m.status}.` });
        return { migration: serverMigrationView(m, req.mv) };
      },
    },
    {
      method: 'POST', url: '/servers/:id/migrations/:migrationId/action', policy: `${P}:force_complete`, minVersion: '2.22', status: 202, body: FORCE_COMPLETE,
      summary: 'Force a running live migration to complete (force_complete action).',
      handler: async (req) => {
        const s = await server(req, `${P}:force_complete`);
        migrating(s, 'force_complete');
        const m = await migration(req, s, (msg) => new InvalidInputError(msg, { code: 'MIGRATION_NOT_FOUND_FOR_INSTANCE' }));
        if (m.status !== 'running') throw new InvalidInputError(`Migration ${m.id} state of instance ${s.uuid} is ${m.status}. Cannot force complete while the migration is in this state.`, { code: 'INVALID_MIGRATION_STATE' });
        await deps.ctx.serverActions.recordAction(s, 'live_migration_force_complete', req.caller.userId, { projectId: req.caller.projectId, requestId: req.requestId });
        return undefined;
      },
    },
    {
      method: 'DELETE', url: '/servers/:id/migrations/:migrationId', policy: `${P}:delete`, minVersion: '2.24', status: 202, summary: 'Abort a live migration in progress.',
      handler: async (req) => {
        const s = await server(req, `${P}:delete`);
        migrating(s, 'abort live migration');
        const m = await migration(req, s, (msg) => new NotFoundError('Migration', (req.params as { migrationId: string }).migrationId, { hint: msg }));
        const allowed = req.mv.gte('2.65') ? ['running', 'queued', 'preparing'] : ['running'];
        if (!allowed.includes(m.status)) throw new InvalidInputError(`Migration ${m.id} state of instance ${s.uuid} is ${m.status}. Cannot abort live migration while the migration is in this state.`, { code: 'INVALID_MIGRATION_STATE' });
        throw new NotSupportedError(`Live migration ${m.id} of instance ${s.uuid} cannot be aborted: novalite runs it to completion, or rolls it back when it fails.`);
      },
    },
  ];
};
