/** API DB: server groups with their policy, rules and members. */
import type { Knex } from 'knex';
import { GroupPolicy, ServerGroup } from '../../model/compute';

type Row = Record<string, any>;

export class ServerGroupRepo {
  constructor(private readonly k: Knex) {}

  private async hydrate(rows: Row[]): Promise<ServerGroup[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const policies = await this.k('instance_group_policy').whereIn('group_id', ids);
    const members = await this.k('instance_group_member').whereIn('group_id', ids).orderBy('id');
    return rows.map((r) => {
      const p = policies.find((x: Row) => x.group_id === r.id);
      return {
        id: Number(r.id), uuid: r.uuid, name: r.name, projectId: r.project_id ?? null, userId: r.user_id ?? null,
        policy: (p?.policy ?? 'anti-affinity') as GroupPolicy, rules: p?.rules ? JSON.parse(p.rules) : {},
        members: members.filter((m: Row) => m.group_id === r.id).map((m: Row) => m.instance_uuid), createdAt: r.created_at,
      };
    });
  }

  async list(projectId?: string): Promise<ServerGroup[]> {
    const q = this.k('instance_groups').orderBy('id');
    if (projectId) q.where({ project_id: projectId });
    return this.hydrate(await q);
  }

  async find(ref: string, projectId?: string): Promise<ServerGroup | null> {
    const q = this.k('instance_groups').where((w) => w.where({ uuid: ref }).orWhere({ name: ref }));
    if (projectId) q.where({ project_id: projectId });
    const r = await q.first();
    return r ? (await this.hydrate([r]))[0] : null;
  }

  async create(g: { uuid: string; name: string; projectId: string; userId: string | null; policy: GroupPolicy; rules: object }, now: string): Promise<ServerGroup> {
    await this.k.transaction(async (tx) => {
      await tx('instance_groups').insert({ uuid: g.uuid, name: g.name, project_id: g.projectId, user_id: g.userId, created_at: now });
      const row = await tx('instance_groups').where({ uuid: g.uuid }).first('id');
      await tx('instance_group_policy').insert({ group_id: row.id, policy: g.policy, rules: JSON.stringify(g.rules) });
    });
    return (await this.find(g.uuid))!;
  }

  async addMember(id: number, instanceUuid: string): Promise<void> {
    await this.k('instance_group_member').insert({ group_id: id, instance_uuid: instanceUuid });
  }

  async removeMember(instanceUuid: string): Promise<void> {
    await this.k('instance_group_member').where({ instance_uuid: instanceUuid }).delete();
  }

  async delete(id: number): Promise<void> {
    await this.k.transaction(async (tx) => {
      await tx('instance_group_member').where({ group_id: id }).delete();
      await tx('instance_group_policy').where({ group_id: id }).delete();
      await tx('instance_groups').where({ id }).delete();
    });
  }
}
