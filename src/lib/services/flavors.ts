/** Flavors: the sizes servers are built with (openstack flavor semantics). */
import { randomUUID } from 'node:crypto';
import { Clock, isoTime } from '../clock';
import { Stores } from '../db/stores';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors';
import { Flavor } from '../model/compute';
import { checkInt, checkName } from './validate';

export interface FlavorCreate {
  name: string; vcpus: number; ram: number; disk: number; id?: string; ephemeral?: number; swap?: number;
  properties?: Record<string, string>; isPublic?: boolean; description?: string; rxtxFactor?: number;
}

/** Upper bounds that catch typos (a 40 TB flavor) without limiting real hardware. */
export const FLAVOR_LIMITS = { vcpus: 16384, ramMb: 64 * 1024 * 1024, diskGb: 1024 * 1024, swapMb: 64 * 1024 * 1024 };

export class FlavorsService {
  constructor(private readonly stores: Stores, private readonly clock: Clock) {}

  async list(opts: { all?: boolean; projectId?: string } = {}): Promise<Flavor[]> {
    return (await this.stores.api()).flavors.list({ includePrivate: opts.all ?? true, projectId: opts.projectId });
  }

  async get(ref: string): Promise<Flavor> {
    const f = await (await this.stores.api()).flavors.find(ref);
    if (!f) throw new NotFoundError('Flavor', ref, { hint: 'Run `novalite flavor list`.' });
    return f;
  }

  async create(c: FlavorCreate): Promise<Flavor> {
    const name = checkName('flavor', c.name, 'NAME');
    const vcpus = checkInt('--vcpus', c.vcpus, 1, FLAVOR_LIMITS.vcpus);
    const ram = checkInt('--ram (MB)', c.ram, 1, FLAVOR_LIMITS.ramMb);
    const disk = checkInt('--disk (GB)', c.disk, 0, FLAVOR_LIMITS.diskGb);
    const eph = checkInt('--ephemeral (GB)', c.ephemeral ?? 0, 0, FLAVOR_LIMITS.diskGb);
    const swap = checkInt('--swap (MB)', c.swap ?? 0, 0, FLAVOR_LIMITS.swapMb);
    const id = c.id === undefined || c.id === 'auto' ? randomUUID() : c.id;
    if (!/^[A-Za-z0-9._ -]{1,255}$/.test(id) || id !== id.trim()) {
      throw new InvalidInputError(`Invalid flavor id ${JSON.stringify(id)}: use letters, digits, '.', '_', '-' and spaces.`);
    }
    const rxtx = c.rxtxFactor ?? 1.0;
    if (!(rxtx > 0)) throw new InvalidInputError('--rxtx-factor must be above 0.');
    const repo = (await this.stores.api()).flavors;
    const clash = await repo.exists(id, name);
    if (clash) {
      throw new ConflictError(`A flavor with ${clash} ${JSON.stringify(clash === 'id' ? id : name)} already exists.`, { code: 'FLAVOR_EXISTS' });
    }
    return repo.create({
      flavorid: id, name, vcpus, memoryMb: ram, rootGb: disk, ephemeralGb: eph, swapMb: swap, rxtxFactor: rxtx,
      isPublic: c.isPublic ?? true, description: c.description ?? null, extraSpecs: c.properties ?? {},
    }, isoTime(this.clock.now()));
  }

  /** `allowPublic` records access to a public flavor too (the REST API before microversion 2.7 allowed it). */
  async set(ref: string, patch: { properties?: Record<string, string>; description?: string | null; project?: string; allowPublic?: boolean }): Promise<Flavor> {
    const f = await this.get(ref);
    const repo = (await this.stores.api()).flavors;
    if (patch.properties && Object.keys(patch.properties).length) await repo.setSpecs(f.id, patch.properties);
    if (patch.description !== undefined) await repo.update(f.id, { description: patch.description }, isoTime(this.clock.now()));
    if (patch.project) {
      if (f.isPublic && !patch.allowPublic) throw new ConflictError('Cannot set access on a public flavor.', { hint: 'Create it with --private.' });
      if (f.projects.includes(patch.project)) {
        throw new ConflictError(`Project ${patch.project} already has access to flavor ${f.name}.`, { code: 'FLAVOR_ACCESS_EXISTS' });
      }
      await repo.addProject(f.id, patch.project);
    }
    return this.get(f.flavorid);
  }

  async unset(ref: string, patch: { properties?: string[]; project?: string }): Promise<Flavor> {
    const f = await this.get(ref);
    const repo = (await this.stores.api()).flavors;
    const missing = (patch.properties ?? []).filter((k) => !(k in f.extraSpecs));
    if (missing.length) throw new NotFoundError('Flavor property', missing.join(', '));
    if (patch.properties?.length) await repo.unsetSpecs(f.id, patch.properties);
    if (patch.project && !(await repo.removeProject(f.id, patch.project))) throw new NotFoundError('Flavor access for project', patch.project);
    return this.get(f.flavorid);
  }

  async delete(ref: string): Promise<Flavor> {
    const f = await this.get(ref);
    await (await this.stores.api()).flavors.delete(f.id);
    return f;
  }
}
