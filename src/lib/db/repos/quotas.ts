/**
 * API DB: quota limits (project, project-user, class) and usage counters. Consuming quota is a
 * conditional UPDATE per resource inside one transaction on the (single) API database, so a
 * burst of creates from many processes can never pass a limit.
 */
import type { Knex } from 'knex';

type Row = Record<string, any>;

export class QuotaExceeded extends Error {
  constructor(readonly resource: string, readonly scope: 'project' | 'user') { super(`quota ${resource}`); }
}

export class QuotaRepo {
  constructor(private readonly k: Knex) {}

  async projectLimits(projectId: string): Promise<Record<string, number>> {
    return Object.fromEntries((await this.k('quotas').where({ project_id: projectId })).map((r: Row) => [r.resource, Number(r.hard_limit)]));
  }

  async userLimits(projectId: string, userId: string): Promise<Record<string, number>> {
    return Object.fromEntries((await this.k('project_user_quotas').where({ project_id: projectId, user_id: userId })).map((r: Row) => [r.resource, Number(r.hard_limit)]));
  }

  async classLimits(className: string): Promise<Record<string, number>> {
    return Object.fromEntries((await this.k('quota_classes').where({ class_name: className })).map((r: Row) => [r.resource, Number(r.hard_limit)]));
  }

  async setLimits(scope: { projectId?: string; userId?: string; className?: string }, limits: Record<string, number>): Promise<void> {
    await this.k.transaction(async (tx) => {
      for (const [resource, hard] of Object.entries(limits)) {
        const [table, where] = scope.className ? ['quota_classes', { class_name: scope.className, resource }]
          : scope.userId ? ['project_user_quotas', { project_id: scope.projectId, user_id: scope.userId, resource }]
            : ['quotas', { project_id: scope.projectId, resource }];
        const n = await tx(table).where(where).update({ hard_limit: hard });
        if (!n) await tx(table).insert({ ...where, hard_limit: hard });
      }
    });
  }

  /** Deletes a project's limits and its users' (or only one user's), as Nova's quota-set delete does. */
  async deleteLimits(scope: { projectId: string; userId?: string }): Promise<void> {
    await this.k.transaction(async (tx) => {
      if (scope.userId) {
        await tx('project_user_quotas').where({ project_id: scope.projectId, user_id: scope.userId }).del();
        return;
      }
      await tx('project_user_quotas').where({ project_id: scope.projectId }).del();
      await tx('quotas').where({ project_id: scope.projectId }).del();
    });
  }

  async usage(projectId: string, userId = ''): Promise<Record<string, number>> {
    return Object.fromEntries((await this.k('quota_usages').where({ project_id: projectId, user_id: userId })).map((r: Row) => [r.resource, Number(r.in_use)]));
  }

  /**
   * Adds `deltas` to the project's and the user's usage, each bounded by its limit (−1:
   * unlimited). All or nothing: throws QuotaExceeded naming the first resource over.
   */
  async consume(projectId: string, userId: string, deltas: Record<string, number>, limits: { project: Record<string, number>; user: Record<string, number> }): Promise<void> {
    await this.k.transaction(async (tx) => {
      for (const [scope, uid] of [['project', ''], ['user', userId]] as Array<['project' | 'user', string]>) {
        for (const [resource, delta] of Object.entries(deltas)) {
          if (delta === 0) continue;
          const limit = limits[scope][resource];
          const bump = () => {
            const q = tx('quota_usages').where({ project_id: projectId, user_id: uid, resource });
            if (delta > 0 && limit !== undefined && limit >= 0) q.whereRaw('in_use + ? <= ?', [delta, limit]);
            return q.update({ in_use: tx.raw('CASE WHEN in_use + ? < 0 THEN 0 ELSE in_use + ? END', [delta, delta]) });
          };
          // Update first: the counter row almost always exists; create it only when missing.
          let n = await bump();
          if (n !== 1 && !(await tx('quota_usages').where({ project_id: projectId, user_id: uid, resource }).first('id'))) {
            await tx('quota_usages').insert({ project_id: projectId, user_id: uid, resource, in_use: 0 }).onConflict(['project_id', 'user_id', 'resource']).ignore();
            n = await bump();
          }
          if (n !== 1) throw new QuotaExceeded(resource, scope);
        }
      }
    });
  }
}
