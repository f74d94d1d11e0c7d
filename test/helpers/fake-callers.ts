/**
 * Callers for REST tests before (or without) the embedded Keystone: with an apiCloud built with
 * `auth: 'keystone'`, `fakeCallers(c, {...})` makes each token name one caller (a role in a
 * project), so policy and project scoping can be tested for admin, member and reader.
 */
import { UnauthorizedError } from '../../src/lib/errors';
import type { ApiCloud } from './api';

export interface FakeCaller { project: string; roles: string[]; user?: string }

/** Creates the projects named by the callers (when missing) and maps token → caller. Returns project name → id. */
export async function fakeCallers(c: ApiCloud, callers: Record<string, FakeCaller>): Promise<Record<string, string>> {
  await syncSchemas(c);
  const ids: Record<string, string> = {};
  for (const f of Object.values(callers)) {
    if (ids[f.project]) continue;
    const p = f.project === 'admin' ? await c.ctx.projects.resolve('admin') : await c.ctx.projects.get(f.project).catch(() => c.ctx.projects.create({ name: f.project }));
    ids[f.project] = p.id;
  }
  c.ctx.identity.callerForToken = async (token: string) => {
    const f = callers[token];
    if (!f) throw new UnauthorizedError('Unknown test token.');
    const user = f.user ?? `${token}-user`;
    return { userId: user, userName: user, projectId: ids[f.project], projectName: f.project, roles: f.roles, isAdmin: f.roles.includes('admin') };
  };
  return ids;
}

/** The usual three: an admin (admin project), a member and a reader of project `p1`. */
export const STANDARD_CALLERS: Record<string, FakeCaller> = {
  admin: { project: 'admin', roles: ['admin', 'member', 'reader'] },
  member: { project: 'p1', roles: ['member', 'reader'] },
  reader: { project: 'p1', roles: ['reader'] },
  other: { project: 'p2', roles: ['member', 'reader'] },
};

/** Brings the databases to this source tree's schema (the CLI in dist/ that set them up may be older). */
export async function syncSchemas(c: ApiCloud): Promise<void> {
  await c.ctx.dbAdmin.apiSync();
  for (const t of await c.ctx.dbAdmin.cellTargets()) await c.ctx.dbAdmin.syncTarget(t);
}
