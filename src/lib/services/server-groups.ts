/** Server groups: affinity policies for sets of servers (Nova's semantics, microversion 2.64 rules). */
import { randomUUID } from 'node:crypto';
import { Clock, isoTime } from '../clock';
import { Stores } from '../db/stores';
import { ConflictError, InvalidInputError, NotFoundError, QuotaExceededError } from '../errors';
import { GROUP_POLICIES, GroupPolicy, ServerGroup } from '../model/compute';
import { checkName } from './validate';

export class ServerGroupsService {
  constructor(private readonly stores: Stores, private readonly clock: Clock,
    private readonly limits?: (projectId: string, userId?: string) => Promise<Record<string, number>>) {}

  async list(projectId?: string): Promise<ServerGroup[]> {
    return (await this.stores.api()).serverGroups.list(projectId);
  }

  async get(ref: string, projectId?: string): Promise<ServerGroup> {
    const g = await (await this.stores.api()).serverGroups.find(ref, projectId);
    if (!g) throw new NotFoundError('Server group', ref, { hint: 'Run `novalite server-group list`.' });
    return g;
  }

  async create(name: string, policy: string, rules: Record<string, string>, owner: { projectId: string; userId: string | null }): Promise<ServerGroup> {
    checkName('server group', name);
    if (!GROUP_POLICIES.includes(policy as GroupPolicy)) {
      throw new InvalidInputError(`Unknown policy ${JSON.stringify(policy)}.`, { hint: `Use one of ${GROUP_POLICIES.join(', ')}.` });
    }
    const parsed: { max_server_per_host?: number } = {};
    for (const [k, v] of Object.entries(rules)) {
      if (k !== 'max_server_per_host') throw new InvalidInputError(`Unknown rule ${JSON.stringify(k)}.`, { hint: 'The only rule is max_server_per_host=N.' });
      if (policy !== 'anti-affinity') throw new InvalidInputError('max_server_per_host is only valid with the anti-affinity policy.');
      if (!/^[1-9]\d{0,5}$/.test(v)) throw new InvalidInputError(`max_server_per_host must be a positive integer, got ${JSON.stringify(v)}.`);
      parsed.max_server_per_host = Number(v);
    }
    const repo = (await this.stores.api()).serverGroups;
    const max = this.limits ? (await this.limits(owner.projectId, owner.userId ?? undefined)).server_groups : -1;
    if (max !== undefined && max >= 0 && (await repo.list(owner.projectId)).length >= max) {
      throw new QuotaExceededError(`Quota exceeded for server_groups: the project already has ${max} of ${max}.`, { hint: 'Delete a server group, or raise the quota with `novalite quota set --server-groups N`.' });
    }
    if (await repo.find(name, owner.projectId)) {
      throw new ConflictError(`A server group named ${JSON.stringify(name)} already exists in this project.`, { code: 'SERVER_GROUP_EXISTS' });
    }
    return repo.create({ uuid: randomUUID(), name, projectId: owner.projectId, userId: owner.userId, policy: policy as GroupPolicy, rules: parsed }, isoTime(this.clock.now()));
  }

  async delete(ref: string, projectId?: string): Promise<ServerGroup> {
    const g = await this.get(ref, projectId);
    await (await this.stores.api()).serverGroups.delete(g.id);
    return g;
  }
}
