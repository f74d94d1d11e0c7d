/** API DB: flavors with their extra specs and project access. */
import type { Knex } from 'knex';
import { Flavor } from '../../model/compute';

type Row = Record<string, any>;

export interface FlavorInput {
  flavorid: string; name: string; vcpus: number; memoryMb: number; rootGb: number; ephemeralGb: number; swapMb: number;
  rxtxFactor: number; isPublic: boolean; description: string | null; extraSpecs: Record<string, string>;
}

export class FlavorRepo {
  constructor(private readonly k: Knex) {}

  private async hydrate(rows: Row[]): Promise<Flavor[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const specs = await this.k('flavor_extra_specs').whereIn('flavor_id', ids);
    const projects = await this.k('flavor_projects').whereIn('flavor_id', ids);
    return rows.map((r) => ({
      id: Number(r.id), flavorid: r.flavorid, name: r.name, vcpus: Number(r.vcpus), memoryMb: Number(r.memory_mb),
      rootGb: Number(r.root_gb), ephemeralGb: Number(r.ephemeral_gb), swapMb: Number(r.swap), rxtxFactor: Number(r.rxtx_factor),
      isPublic: !!r.is_public, disabled: !!r.disabled, description: r.description ?? null, createdAt: r.created_at,
      extraSpecs: Object.fromEntries(specs.filter((s: Row) => s.flavor_id === r.id).map((s: Row) => [s.key, s.value])),
      projects: projects.filter((p: Row) => p.flavor_id === r.id).map((p: Row) => p.project_id),
    }));
  }

  async list(opts: { includePrivate?: boolean; projectId?: string } = {}): Promise<Flavor[]> {
    const q = this.k('flavors').orderBy([{ column: 'memory_mb' }, { column: 'flavorid' }]);
    if (!opts.includePrivate) {
      q.where((w) => {
        w.where({ is_public: true });
        if (opts.projectId) w.orWhereIn('id', this.k('flavor_projects').where({ project_id: opts.projectId }).select('flavor_id'));
      });
    }
    return this.hydrate(await q);
  }

  /** By flavor id first, then by name (as openstack does). */
  async find(ref: string): Promise<Flavor | null> {
    const r = (await this.k('flavors').where({ flavorid: ref }).first()) ?? (await this.k('flavors').where({ name: ref }).first());
    return r ? (await this.hydrate([r]))[0] : null;
  }

  async exists(flavorid: string, name: string): Promise<'id' | 'name' | null> {
    if (await this.k('flavors').where({ flavorid }).first('id')) return 'id';
    if (await this.k('flavors').where({ name }).first('id')) return 'name';
    return null;
  }

  async create(f: FlavorInput, now: string): Promise<Flavor> {
    await this.k.transaction(async (tx) => {
      const [id] = await tx('flavors').insert({
        flavorid: f.flavorid, name: f.name, vcpus: f.vcpus, memory_mb: f.memoryMb, root_gb: f.rootGb, ephemeral_gb: f.ephemeralGb,
        swap: f.swapMb, rxtx_factor: f.rxtxFactor, is_public: f.isPublic, description: f.description, created_at: now,
      }, ['id']);
      const flavorId = typeof id === 'object' ? (id as Row).id : id;
      const specs = Object.entries(f.extraSpecs);
      if (specs.length) await tx('flavor_extra_specs').insert(specs.map(([key, value]) => ({ flavor_id: flavorId, key, value })));
    });
    return (await this.find(f.flavorid))!;
  }

  async update(id: number, patch: { description?: string | null; name?: string }, now: string): Promise<void> {
    await this.k('flavors').where({ id }).update({ ...patch, updated_at: now });
  }

  async setSpecs(id: number, specs: Record<string, string>): Promise<void> {
    await this.k.transaction(async (tx) => {
      for (const [key, value] of Object.entries(specs)) {
        const n = await tx('flavor_extra_specs').where({ flavor_id: id, key }).update({ value });
        if (!n) await tx('flavor_extra_specs').insert({ flavor_id: id, key, value });
      }
    });
  }

  async unsetSpecs(id: number, keys: string[]): Promise<void> {
    await this.k('flavor_extra_specs').where({ flavor_id: id }).whereIn('key', keys).delete();
  }

  async addProject(id: number, projectId: string): Promise<void> {
    if (!(await this.k('flavor_projects').where({ flavor_id: id, project_id: projectId }).first())) {
      await this.k('flavor_projects').insert({ flavor_id: id, project_id: projectId });
    }
  }

  async removeProject(id: number, projectId: string): Promise<number> {
    return this.k('flavor_projects').where({ flavor_id: id, project_id: projectId }).delete();
  }

  async delete(id: number): Promise<void> {
    await this.k.transaction(async (tx) => {
      await tx('flavor_extra_specs').where({ flavor_id: id }).delete();
      await tx('flavor_projects').where({ flavor_id: id }).delete();
      await tx('flavors').where({ id }).delete();
    });
  }
}
