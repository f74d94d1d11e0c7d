/** API DB: projects (Keystone-like tenants that own images, key pairs and servers). */
import type { Knex } from 'knex';
import { Project } from '../../model/images';

type Row = Record<string, any>;

const toProject = (r: Row): Project => ({
  id: r.uuid, name: r.name, description: r.description ?? null, enabled: !!r.enabled, createdAt: r.created_at,
});

export class ProjectRepo {
  constructor(private readonly k: Knex) {}

  async list(): Promise<Project[]> {
    return (await this.k('projects').orderBy([{ column: 'name' }, { column: 'uuid' }])).map(toProject);
  }

  /** By id first, then by name. */
  async find(ref: string): Promise<Project | null> {
    const r = (await this.k('projects').where({ uuid: ref }).first()) ?? (await this.k('projects').where({ name: ref }).first());
    return r ? toProject(r) : null;
  }

  async exists(id: string, name: string): Promise<'id' | 'name' | null> {
    if (await this.k('projects').where({ uuid: id }).first('id')) return 'id';
    if (await this.k('projects').where({ name }).first('id')) return 'name';
    return null;
  }

  async create(p: { id: string; name: string; description: string | null; enabled: boolean }, now: string): Promise<Project> {
    await this.k('projects').insert({ uuid: p.id, name: p.name, description: p.description, enabled: p.enabled, created_at: now });
    return (await this.find(p.id))!;
  }

  /**
   * What still belongs to a project: live images it owns and servers mapped to it (instance
   * mappings not queued for delete). `refs` are the project's id and name: rows written before
   * projects had ids carry the name.
   */
  async usage(refs: string[]): Promise<{ images: number; servers: number }> {
    const [i] = await this.k('images').whereIn('owner', refs).whereNull('deleted_at').count({ n: '*' });
    const [s] = await this.k('instance_mappings').whereIn('project_id', refs).where({ queued_for_delete: false }).count({ n: '*' });
    return { images: Number(i.n), servers: Number(s.n) };
  }

  async delete(id: string): Promise<number> {
    return this.k('projects').where({ uuid: id }).delete();
  }
}
