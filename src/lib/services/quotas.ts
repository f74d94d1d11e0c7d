/**
 * Quotas per project and per user (Nova's resources and defaults), resolved user → project →
 * class `default` → built-in default. Consumption is atomic (see QuotaRepo.consume).
 */
import { Stores } from '../db/stores';
import { QuotaExceeded } from '../db/repos/quotas';
import { InvalidInputError, QuotaExceededError } from '../errors';

export const QUOTA_DEFAULTS: Record<string, number> = {
  instances: 10, cores: 20, ram: 51200, key_pairs: 100, server_groups: 10, server_group_members: 10, metadata_items: 128,
};
export const QUOTA_RESOURCES = Object.keys(QUOTA_DEFAULTS);

export interface QuotaView { limits: Record<string, number>; in_use: Record<string, number> }

export class QuotasService {
  constructor(private readonly stores: Stores) {}

  async defaults(): Promise<Record<string, number>> {
    return { ...QUOTA_DEFAULTS, ...(await (await this.stores.api()).quotas.classLimits('default')) };
  }

  async limits(projectId: string, userId?: string): Promise<Record<string, number>> {
    const repo = (await this.stores.api()).quotas;
    const base = { ...(await this.defaults()), ...(await repo.projectLimits(projectId)) };
    return userId ? { ...base, ...(await repo.userLimits(projectId, userId)) } : base;
  }

  async show(projectId: string, userId?: string): Promise<QuotaView> {
    const repo = (await this.stores.api()).quotas;
    const inUse = await repo.usage(projectId, userId ?? '');
    const limits = await this.limits(projectId, userId);
    return { limits, in_use: Object.fromEntries(QUOTA_RESOURCES.map((r) => [r, inUse[r] ?? 0])) };
  }

  /** A quota class's limits: the built-in defaults overridden by the class's own rows (Nova's get_class_quotas). */
  async classLimits(className: string): Promise<Record<string, number>> {
    return { ...QUOTA_DEFAULTS, ...(await (await this.stores.api()).quotas.classLimits(className)) };
  }

  /** `allowed`: the resources that may be set (the REST API also stores Nova's legacy, unenforced ones). */
  async set(scope: { projectId?: string; userId?: string; className?: string }, limits: Record<string, number>, allowed: string[] = QUOTA_RESOURCES): Promise<void> {
    for (const [k, v] of Object.entries(limits)) {
      if (!allowed.includes(k)) throw new InvalidInputError(`Unknown quota ${JSON.stringify(k)}.`, { hint: `Known: ${allowed.join(', ')}.` });
      if (!Number.isInteger(v) || v < -1 || v > 2 ** 31) throw new InvalidInputError(`Quota ${k} must be an integer ≥ -1 (-1: unlimited), got ${v}.`);
    }
    await (await this.stores.api()).quotas.setLimits(scope, limits);
  }

  /** Forgets a project's limits (with its users' ones) or one user's: they fall back to the defaults. Usage is kept. */
  async reset(scope: { projectId: string; userId?: string }): Promise<void> {
    await (await this.stores.api()).quotas.deleteLimits(scope);
  }

  /** Consumes or (negative deltas) frees quota; QuotaExceededError (exit 5, 403) names what is over. */
  async consume(projectId: string, userId: string, deltas: Record<string, number>, known?: { project: Record<string, number>; user: Record<string, number> }): Promise<void> {
    const repo = (await this.stores.api()).quotas;
    const project = known?.project ?? await this.limits(projectId);
    const user = known?.user ?? await this.limits(projectId, userId);
    try {
      await repo.consume(projectId, userId, deltas, { project, user });
    } catch (e) {
      if (!(e instanceof QuotaExceeded)) throw e;
      const used = (await repo.usage(projectId, e.scope === 'user' ? userId : ''))[e.resource] ?? 0;
      const limit = (e.scope === 'user' ? user : project)[e.resource];
      throw new QuotaExceededError(
        `Quota exceeded for ${e.resource}: requested ${deltas[e.resource]}, ${used} of ${limit} already used by the ${e.scope === 'user' ? `user ${userId} in ` : ''}project ${projectId}.`,
        { hint: 'Delete servers, or raise the quota with `novalite quota set`.', details: { resource: e.resource, requested: deltas[e.resource], used, limit } },
      );
    }
  }

  async release(projectId: string, userId: string, deltas: Record<string, number>): Promise<void> {
    const neg = Object.fromEntries(Object.entries(deltas).map(([k, v]) => [k, -v]));
    await (await this.stores.api()).quotas.consume(projectId, userId, neg, { project: {}, user: {} });
  }
}
