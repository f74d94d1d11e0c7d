/**
 * Projects (Keystone-like tenants): what owns images and servers. Ids are 32 hex digits, as
 * Keystone's; names are unique. The `admin` project appears the first time it is asked for, so a
 * fresh install works with the default project.
 */
import { randomUUID } from 'node:crypto';
import { Clock, isoTime } from '../clock';
import { Stores } from '../db/stores';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors';
import { Project } from '../model/images';
import { checkName } from './validate';

export const ADMIN_PROJECT = 'admin';

export interface ProjectCreate { name: string; description?: string | null; enabled?: boolean; id?: string }

/** A Keystone id: 32 hex digits; a dashed UUID is accepted and stored without its dashes. */
export function normalizeProjectId(id: string): string | null {
  const s = id.toLowerCase().replace(/^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/, '$1$2$3$4$5');
  return /^[0-9a-f]{32}$/.test(s) ? s : null;
}

export class ProjectsService {
  constructor(private readonly stores: Stores, private readonly clock: Clock) {}

  private async repo() { return (await this.stores.api()).projects; }

  async list(): Promise<Project[]> {
    return (await this.repo()).list();
  }

  /** By id (with or without dashes) or name; exit 3 when unknown. Never creates anything. */
  async get(ref: string): Promise<Project> {
    const repo = await this.repo();
    const id = normalizeProjectId(ref);
    const p = (id ? await repo.find(id) : null) ?? (await repo.find(ref));
    if (!p) throw new NotFoundError('Project', ref, { hint: 'Run `novalite project list`, or create it with `novalite project create`.' });
    return p;
  }

  /** As `get`, except that the `admin` project is created on first use. */
  async resolve(ref: string): Promise<Project> {
    if (ref === ADMIN_PROJECT) return this.ensureAdmin();
    return this.get(ref);
  }

  /** The admin project, created when missing (two processes racing both end up with the same one). */
  async ensureAdmin(): Promise<Project> {
    const repo = await this.repo();
    const found = await repo.find(ADMIN_PROJECT);
    if (found) return found;
    try {
      return await repo.create({ id: newProjectId(), name: ADMIN_PROJECT, description: 'Bootstrap project for initializing the cloud.', enabled: true },
        isoTime(this.clock.now()));
    } catch (e) {
      const again = await repo.find(ADMIN_PROJECT);
      if (again) return again;
      throw e;
    }
  }

  async create(c: ProjectCreate): Promise<Project> {
    const name = checkName('project', c.name, 'NAME');
    if (name.length > 64) throw new InvalidInputError('A project name must be at most 64 characters long (as in Keystone).');
    let id = newProjectId();
    if (c.id !== undefined) {
      const n = normalizeProjectId(c.id);
      if (!n) throw new InvalidInputError(`Invalid project id ${JSON.stringify(c.id)}: use 32 hexadecimal digits (a UUID).`);
      id = n;
    }
    if (c.description != null && c.description.length > 65535) throw new InvalidInputError('A project description must be at most 65535 characters long.');
    const repo = await this.repo();
    const clash = await repo.exists(id, name);
    if (clash) {
      throw new ConflictError(`A project with ${clash} ${JSON.stringify(clash === 'id' ? id : name)} already exists.`, { code: 'PROJECT_EXISTS' });
    }
    return repo.create({ id, name, description: c.description ?? null, enabled: c.enabled ?? true }, isoTime(this.clock.now()));
  }

  /** Refused (exit 4) while the project owns images or servers. */
  async delete(ref: string): Promise<Project> {
    const p = await this.get(ref);
    const repo = await this.repo();
    const used = await repo.usage([p.id, p.name]);
    if (used.images || used.servers) {
      const what = [used.servers ? `${used.servers} server(s)` : '', used.images ? `${used.images} image(s)` : ''].filter(Boolean).join(' and ');
      throw new ConflictError(`Project ${p.name} (${p.id}) still owns ${what}.`, {
        code: 'PROJECT_IN_USE', hint: 'Delete its servers and images first.', details: used,
      });
    }
    await repo.delete(p.id);
    return p;
  }
}

export function newProjectId(): string {
  return randomUUID().replace(/-/g, '');
}
