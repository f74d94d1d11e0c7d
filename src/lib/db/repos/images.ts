/**
 * API DB: the image registry (Glance-like). Properties and tags are JSON text columns; the
 * bytes live in the local image store and `location` is their file:// URL. Deleted images keep
 * their row (soft delete) so an id is never reused.
 */
import type { Knex } from 'knex';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Image } from '../../model/images';

type Row = Record<string, any>;

export type ImageInput = Omit<Image, 'createdAt' | 'updatedAt'>;
export type ImagePatch = Partial<Omit<Image, 'id' | 'createdAt' | 'updatedAt' | 'owner'>>;

const json = <T>(s: unknown, fallback: T): T => {
  if (typeof s !== 'string' || s === '') return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
};

const toImage = (r: Row): Image => ({
  id: r.id, name: r.name ?? null, status: r.status, visibility: r.visibility, diskFormat: r.disk_format ?? null,
  containerFormat: r.container_format ?? null, minDisk: Number(r.min_disk), minRam: Number(r.min_ram),
  size: r.size == null ? null : Number(r.size), checksum: r.checksum ?? null, osHashAlgo: r.os_hash_algo ?? null,
  osHashValue: r.os_hash_value ?? null, protected: !!r.protected, owner: r.owner ?? null,
  properties: json<Record<string, string>>(r.properties, {}), tags: json<string[]>(r.tags, []),
  path: typeof r.location === 'string' && r.location.startsWith('file://') ? fileURLToPath(r.location) : null,
  createdAt: r.created_at, updatedAt: r.updated_at ?? null,
});

/** Column values for the fields present in `p`. */
function columns(p: ImagePatch): Row {
  const c: Row = {};
  const set = (col: string, v: unknown) => { if (v !== undefined) c[col] = v; };
  set('name', p.name); set('status', p.status); set('visibility', p.visibility); set('disk_format', p.diskFormat);
  set('container_format', p.containerFormat); set('min_disk', p.minDisk); set('min_ram', p.minRam); set('size', p.size);
  set('checksum', p.checksum); set('os_hash_algo', p.osHashAlgo); set('os_hash_value', p.osHashValue); set('protected', p.protected);
  if (p.properties !== undefined) c.properties = JSON.stringify(p.properties);
  if (p.tags !== undefined) c.tags = JSON.stringify(p.tags);
  if (p.path !== undefined) c.location = p.path === null ? null : pathToFileURL(p.path).href;
  return c;
}

export interface ImageFilter {
  /** Only images this project may see: public and community ones, and its own. */
  projectId?: string;
  visibility?: Image['visibility'];
  name?: string;
}

export class ImageRepo {
  constructor(private readonly k: Knex) {}

  private live(f: ImageFilter = {}): Knex.QueryBuilder {
    const q = this.k('images').whereNull('deleted_at');
    if (f.projectId !== undefined) {
      q.where((w) => { w.whereIn('visibility', ['public', 'community']).orWhere({ owner: f.projectId }); });
    }
    if (f.visibility) q.where({ visibility: f.visibility });
    if (f.name !== undefined) q.where({ name: f.name });
    return q;
  }

  async list(f: ImageFilter = {}): Promise<Image[]> {
    return (await this.live(f).orderBy([{ column: 'name' }, { column: 'id' }])).map(toImage);
  }

  async byId(id: string, projectId?: string): Promise<Image | null> {
    const r = await this.live({ projectId }).where({ id }).first();
    return r ? toImage(r) : null;
  }

  async byName(name: string, projectId?: string): Promise<Image[]> {
    return this.list({ name, projectId });
  }

  /** True when a row has (or had: deleted rows count) this id. */
  async idTaken(id: string): Promise<boolean> {
    return !!(await this.k('images').where({ id }).first('id'));
  }

  async insert(img: ImageInput, now: string): Promise<Image> {
    const { id, owner, ...rest } = img;
    await this.k('images').insert({ id, owner, ...columns(rest), created_at: now, updated_at: now });
    return (await this.byId(id))!;
  }

  /** Applies `patch`; with `fromStatus`, only while the image is in that status (compare-and-swap). Returns rows changed. */
  async update(id: string, patch: ImagePatch, now: string, fromStatus?: string): Promise<number> {
    const q = this.k('images').where({ id }).whereNull('deleted_at');
    if (fromStatus !== undefined) q.where({ status: fromStatus });
    return q.update({ ...columns(patch), updated_at: now });
  }

  /** Soft delete: the row stays, marked deleted, without its location. */
  async softDelete(id: string, now: string): Promise<number> {
    return this.k('images').where({ id }).whereNull('deleted_at')
      .update({ status: 'deleted', location: null, deleted_at: now, updated_at: now });
  }

  /** Removes a row that never became an image (a create whose upload failed). */
  async purge(id: string): Promise<void> {
    await this.k('images').where({ id }).delete();
  }
}
