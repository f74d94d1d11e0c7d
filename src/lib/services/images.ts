/**
 * Images (a Glance v2 subset): the registry in the API database and a local image store under
 * `[DEFAULT] state_path`/images/<id>. Bytes are streamed into a temporary file while size, MD5
 * (`checksum`) and SHA-512 (`os_hash_value`) are computed, then renamed into place, so a failed
 * upload leaves neither a file nor an image behind.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Clock, isoTime } from '../clock';
import type { Config } from '../config';
import { Stores } from '../db/stores';
import { ConflictError, HostError, InvalidInputError, NotFoundError, NovaliteError } from '../errors';
import { Image } from '../model/images';
import { checkInt, checkName } from './validate';

export const DISK_FORMATS = ['raw', 'qcow2', 'aki', 'ari', 'ami', 'iso', 'vmdk', 'vdi', 'vhd', 'vhdx', 'ploop'] as const;
export const CONTAINER_FORMATS = ['bare', 'ovf', 'aki', 'ari', 'ami', 'ova', 'docker', 'compressed'] as const;
export const VISIBILITIES = ['public', 'private', 'shared', 'community'] as const;
export type Visibility = Image['visibility'];

/** Glance's core attributes: never free-form properties. */
const RESERVED = new Set(['id', 'name', 'status', 'visibility', 'protected', 'disk_format', 'container_format', 'min_disk', 'min_ram',
  'size', 'virtual_size', 'checksum', 'os_hash_algo', 'os_hash_value', 'owner', 'tags', 'created_at', 'updated_at', 'deleted_at',
  'deleted', 'file', 'self', 'schema', 'locations', 'location', 'direct_url', 'os_hidden']);
/** Properties that name another image, which must exist. */
const IMAGE_REFS = ['kernel_id', 'ramdisk_id'];
/** Glance's image_property_quota and image_tag_quota defaults. */
const MAX_PROPERTIES = 128;
const MAX_TAGS = 128;
const MAX_INT = 2 ** 31 - 1;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ImageCreate {
  name: string;
  /** The owning project's id (null: no owner). */
  owner: string | null;
  id?: string;
  diskFormat?: string;
  containerFormat?: string;
  minDisk?: number;
  minRam?: number;
  properties?: Record<string, string>;
  visibility?: Visibility;
  protected?: boolean;
  tags?: string[];
  /** Upload this file's bytes and make the image active; without it the image stays queued for `uploadData`. */
  file?: string;
}

export interface ImageUpdate {
  name?: string;
  minDisk?: number;
  minRam?: number;
  visibility?: Visibility;
  protected?: boolean;
  /** Added or changed; the others are kept. */
  properties?: Record<string, string>;
  /** Added to the image's tags. */
  tags?: string[];
}

/** The driver's view of an image (structurally src/virt/driver.ts ImageRef; services do not import virt). */
export interface ImageRefLike {
  id: string; name: string; checksum: string | null; size: number; diskFormat: string; properties: Record<string, string>; path: string | null;
  kernel?: ImageRefLike | null; ramdisk?: ImageRefLike | null;
}

interface Stored { size: number; checksum: string; osHashValue: string; path: string }

export class ImagesService {
  constructor(private readonly stores: Stores, private readonly config: Config, private readonly clock: Clock) {}

  private async repo() { return (await this.stores.api()).images; }
  private now(): string { return isoTime(this.clock.now()); }

  /** Where the bytes live: `[DEFAULT] state_path`/images. */
  storeDir(): string {
    return path.join(this.config.get<string>('DEFAULT', 'state_path'), 'images');
  }

  /** Live images; with `projectId`, only those that project may see. */
  async list(opts: { projectId?: string; visibility?: Visibility; name?: string } = {}): Promise<Image[]> {
    return (await this.repo()).list(opts);
  }

  /** By id, then by name (exit 4 when several images carry the name, exit 3 when none). */
  async get(ref: string, projectId?: string): Promise<Image> {
    const repo = await this.repo();
    if (UUID_RE.test(ref)) {
      const byId = await repo.byId(ref.toLowerCase(), projectId);
      if (byId) return byId;
    }
    const named = await repo.byName(ref, projectId);
    if (named.length === 1) return named[0];
    if (named.length > 1) {
      throw new ConflictError(`${named.length} images are named ${JSON.stringify(ref)}.`, {
        code: 'IMAGE_AMBIGUOUS', hint: 'Give the image id instead.', details: { ids: named.map((i) => i.id) },
      });
    }
    throw new NotFoundError('Image', ref, { hint: 'Run `novalite image list`.' });
  }

  async create(c: ImageCreate): Promise<Image> {
    const name = checkName('image', c.name, 'NAME');
    const diskFormat = oneOf('--disk-format', c.diskFormat ?? 'raw', DISK_FORMATS);
    const containerFormat = oneOf('--container-format', c.containerFormat ?? 'bare', CONTAINER_FORMATS);
    const amazon = ['aki', 'ari', 'ami'];
    if ((amazon.includes(diskFormat) || amazon.includes(containerFormat)) && diskFormat !== containerFormat) {
      throw new InvalidInputError(`Disk format ${diskFormat} and container format ${containerFormat} must match for aki, ari and ami images.`);
    }
    const visibility = oneOf('visibility', c.visibility ?? 'public', VISIBILITIES);
    const properties = await this.checkProperties({}, c.properties ?? {});
    const tags = checkTags([], c.tags ?? []);
    const minDisk = checkInt('--min-disk (GB)', c.minDisk ?? 0, 0, MAX_INT);
    const minRam = checkInt('--min-ram (MB)', c.minRam ?? 0, 0, MAX_INT);
    const repo = await this.repo();
    let id: string = randomUUID();
    if (c.id !== undefined) {
      if (!UUID_RE.test(c.id)) throw new InvalidInputError(`Invalid image id ${JSON.stringify(c.id)}: give a UUID.`);
      id = c.id.toLowerCase();
      if (await repo.idTaken(id)) throw new ConflictError(`An image with id ${id} exists (or existed: ids are never reused).`, { code: 'IMAGE_EXISTS' });
    }
    const source = c.file === undefined ? null : await openSource(c.file);
    try {
      await repo.insert({
        id, name, status: source ? 'saving' : 'queued', visibility, diskFormat, containerFormat, owner: c.owner, properties, tags,
        minDisk, minRam, size: null, checksum: null, osHashAlgo: null, osHashValue: null, protected: !!c.protected, path: null,
      }, this.now());
    } catch (e) {
      await source?.close();
      if (await repo.idTaken(id)) throw new ConflictError(`An image with id ${id} already exists.`, { code: 'IMAGE_EXISTS' });
      throw e;
    }
    if (!source) return (await repo.byId(id))!;
    try {
      const stored = await this.store(id, source.createReadStream(), diskFormat);
      await repo.update(id, { status: 'active', ...hashes(stored), path: stored.path }, this.now(), 'saving');
    } catch (e) {
      await repo.purge(id);
      throw e;
    }
    return (await repo.byId(id))!;
  }

  async update(ref: string, patch: ImageUpdate, projectId?: string): Promise<Image> {
    const img = await this.get(ref, projectId);
    const changes: Partial<Image> = {};
    if (patch.name !== undefined) changes.name = checkName('image', patch.name);
    if (patch.minDisk !== undefined) changes.minDisk = checkInt('--min-disk (GB)', patch.minDisk, 0, MAX_INT);
    if (patch.minRam !== undefined) changes.minRam = checkInt('--min-ram (MB)', patch.minRam, 0, MAX_INT);
    if (patch.visibility !== undefined) changes.visibility = oneOf('visibility', patch.visibility, VISIBILITIES);
    if (patch.protected !== undefined) changes.protected = patch.protected;
    if (patch.properties && Object.keys(patch.properties).length) changes.properties = await this.checkProperties(img.properties, patch.properties);
    if (patch.tags?.length) changes.tags = checkTags(img.tags, patch.tags);
    if (Object.keys(changes).length) await (await this.repo()).update(img.id, changes, this.now());
    return (await (await this.repo()).byId(img.id))!;
  }

  /** Removes properties and tags; exit 3 when one is not there. */
  async unset(ref: string, what: { properties?: string[]; tags?: string[] }, projectId?: string): Promise<Image> {
    const img = await this.get(ref, projectId);
    const keys = what.properties ?? [];
    const missing = keys.filter((k) => !(k in img.properties));
    if (missing.length) throw new NotFoundError('Image property', missing.join(', '));
    const gone = (what.tags ?? []).filter((t) => !img.tags.includes(t));
    if (gone.length) throw new NotFoundError('Image tag', gone.join(', '));
    const properties = Object.fromEntries(Object.entries(img.properties).filter(([k]) => !keys.includes(k)));
    const tags = img.tags.filter((t) => !(what.tags ?? []).includes(t));
    await (await this.repo()).update(img.id, { properties, tags }, this.now());
    return (await (await this.repo()).byId(img.id))!;
  }

  /** Soft-deletes the row and removes the bytes; a protected image is refused (exit 4). */
  async delete(ref: string, projectId?: string): Promise<Image> {
    const img = await this.get(ref, projectId);
    if (img.protected) {
      throw new ConflictError(`Image ${img.name ?? img.id} is protected.`, { code: 'IMAGE_PROTECTED', hint: `Run \`novalite image set ${img.id} --unprotected\` first.` });
    }
    if (!(await (await this.repo()).softDelete(img.id, this.now()))) throw new NotFoundError('Image', ref);
    if (img.path) await fs.promises.rm(img.path, { force: true });
    return { ...img, status: 'deleted', path: null };
  }

  /** Uploads the bytes of a queued image (the REST PUT /file); on failure it stays queued. */
  async uploadData(id: string, data: Readable, projectId?: string): Promise<Image> {
    const img = await this.get(id, projectId);
    const repo = await this.repo();
    if (img.status !== 'queued' || !(await repo.update(img.id, { status: 'saving' }, this.now(), 'queued'))) {
      throw new ConflictError(`Image ${img.id} is ${img.status}: data can only be uploaded once, to a queued image.`, { code: 'IMAGE_NOT_QUEUED' });
    }
    let stored: Stored;
    try {
      stored = await this.store(img.id, data, img.diskFormat ?? 'raw');
    } catch (e) {
      await repo.update(img.id, { status: 'queued' }, this.now(), 'saving');
      throw e;
    }
    if (!(await repo.update(img.id, { status: 'active', ...hashes(stored), path: stored.path }, this.now(), 'saving'))) {
      await fs.promises.rm(stored.path, { force: true }); // deleted while uploading
      throw new NotFoundError('Image', img.id);
    }
    return (await repo.byId(img.id))!;
  }

  /** The bytes of an active image, as a stream. */
  async download(ref: string, projectId?: string): Promise<{ image: Image; size: number; stream: Readable }> {
    const image = await this.get(ref, projectId);
    if (image.status !== 'active' || !image.path) {
      throw new ConflictError(`Image ${image.id} is ${image.status} and has no data yet.`, { code: 'IMAGE_NOT_ACTIVE' });
    }
    const src = await openSource(image.path).catch(() => {
      throw new HostError(`The data of image ${image.id} is missing from the image store (${image.path}).`, { code: 'IMAGE_DATA_MISSING' });
    });
    return { image, size: image.size ?? 0, stream: src.createReadStream() };
  }

  /**
   * What a virt driver needs of a server's image, with the kernel and ramdisk images its
   * kernel_id / ramdisk_id name (one level: a kernel image's own properties are not followed).
   * Null when there is no image or it is gone.
   */
  async driverRef(id: string | null): Promise<ImageRefLike | null> {
    if (!id) return null;
    const image = await this.get(id).catch(() => null);
    if (!image) return null;
    const ref = this.toImageRef(image);
    const side = async (pid: string | undefined) => (pid ? this.get(pid).then((i) => this.toImageRef(i)).catch(() => null) : null);
    ref.kernel = await side(image.properties.kernel_id);
    ref.ramdisk = await side(image.properties.ramdisk_id);
    return ref;
  }

  /** What a virt driver needs of an image. */
  toImageRef(image: Image): ImageRefLike {
    return {
      id: image.id, name: image.name ?? image.id, checksum: image.checksum, size: image.size ?? 0, diskFormat: image.diskFormat ?? 'raw',
      properties: { ...image.properties }, path: image.path,
    };
  }

  /** Merges `add` into `current` after checking keys, values and image references (exit 3 for a missing image). */
  private async checkProperties(current: Record<string, string>, add: Record<string, string>): Promise<Record<string, string>> {
    for (const [k, v] of Object.entries(add)) {
      if (typeof k !== 'string' || k === '' || k.length > 255) throw new InvalidInputError(`Invalid image property name ${JSON.stringify(k)}.`);
      if (RESERVED.has(k)) throw new InvalidInputError(`${k} is an image attribute, not a property.`, { code: 'RESERVED_PROPERTY', hint: `Use the ${k.replace(/_/g, '-')} flag.` });
      if (typeof v !== 'string' || v.length > 65535) throw new InvalidInputError(`Image property ${k} must be a string of at most 65535 characters.`);
    }
    const merged = { ...current, ...add };
    if (Object.keys(merged).length > MAX_PROPERTIES) throw new InvalidInputError(`An image has at most ${MAX_PROPERTIES} properties.`);
    const repo = await this.repo();
    for (const k of IMAGE_REFS) {
      if (add[k] === undefined) continue;
      if (!UUID_RE.test(add[k]) || !(await repo.byId(add[k].toLowerCase()))) {
        throw new NotFoundError('Image', add[k], { hint: `${k} must be the id of an existing image (\`novalite image list\`).` });
      }
      merged[k] = add[k].toLowerCase();
    }
    return merged;
  }

  /** Streams `data` to a temporary file in the store, hashing as it goes, then renames it into place. */
  private async store(id: string, data: Readable, diskFormat: string): Promise<Stored> {
    const dir = this.storeDir();
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o750 });
    const tmp = path.join(dir, `.${id}.${randomBytes(6).toString('hex')}.tmp`);
    const final = path.join(dir, id);
    const md5 = createHash('md5');
    const sha512 = createHash('sha512');
    let size = 0;
    let head = Buffer.alloc(0);
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        md5.update(chunk);
        sha512.update(chunk);
        size += chunk.length;
        if (head.length < 512) head = Buffer.concat([head, chunk.subarray(0, 512 - head.length)]);
        done(null, chunk);
      },
    });
    try {
      await pipeline(data, meter, fs.createWriteStream(tmp, { flags: 'wx', mode: 0o640 }));
      inspect(head, diskFormat);
      const fh = await fs.promises.open(tmp, 'r');
      try { await fh.sync(); } finally { await fh.close(); }
      await fs.promises.rename(tmp, final);
    } catch (e) {
      await fs.promises.rm(tmp, { force: true });
      if (e instanceof NovaliteError) throw e;
      const err = e as NodeJS.ErrnoException;
      if (err.syscall === 'write' || err.syscall === 'open' || err.syscall === 'rename' || ['ENOSPC', 'EDQUOT', 'EROFS'].includes(err.code ?? '')) {
        throw new HostError(`Cannot write image ${id} to the image store ${dir}: ${err.code ?? err.message}.`, { code: 'IMAGE_STORE_FAILED', hint: 'Check free space and permissions of [DEFAULT] state_path.' });
      }
      throw new InvalidInputError(`Reading the image data failed: ${err.code ?? err.message}.`, { code: 'IMAGE_UPLOAD_FAILED' });
    }
    return { size, checksum: md5.digest('hex'), osHashValue: sha512.digest('hex'), path: final };
  }
}

const hashes = (s: Stored) => ({ size: s.size, checksum: s.checksum, osHashAlgo: 'sha512', osHashValue: s.osHashValue });

function oneOf<T extends string>(label: string, v: string, allowed: readonly T[]): T {
  if (!allowed.includes(v as T)) throw new InvalidInputError(`Unknown ${label} ${JSON.stringify(v)}: use one of ${allowed.join(', ')}.`);
  return v as T;
}

function checkTags(current: string[], add: string[]): string[] {
  for (const t of add) {
    if (typeof t !== 'string' || t === '' || t.length > 255) throw new InvalidInputError(`Invalid image tag ${JSON.stringify(t)}: 1 to 255 characters.`);
  }
  const tags = [...new Set([...current, ...add])];
  if (tags.length > MAX_TAGS) throw new InvalidInputError(`An image has at most ${MAX_TAGS} tags.`);
  return tags;
}

/** Opens a regular file for reading; a missing or unreadable one is bad input (exit 2). */
async function openSource(file: string): Promise<fs.promises.FileHandle> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(file, 'r');
  } catch (e) {
    throw new InvalidInputError(`Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, {
      code: 'IMAGE_FILE_UNREADABLE', hint: 'Give --file the path of a readable image file.',
    });
  }
  if (!(await fh.stat()).isFile()) {
    await fh.close();
    throw new InvalidInputError(`${file} is not a regular file.`, { code: 'IMAGE_FILE_UNREADABLE' });
  }
  return fh;
}

/**
 * The dangerous mismatches of Glance's format inspection: qcow2 data under another disk format
 * (a hypervisor told "raw" would hand the guest the qcow2 metadata; probing would honour it),
 * and qcow2 images that point outside themselves (a backing file or an external data file).
 */
function inspect(head: Buffer, diskFormat: string): void {
  const qcow2 = head.length >= 72 && head.readUInt32BE(0) === 0x514649fb;
  if (!qcow2) return;
  if (diskFormat !== 'qcow2') throw new InvalidInputError(`The data is a qcow2 image, not ${diskFormat}.`, { code: 'IMAGE_FORMAT_MISMATCH', hint: 'Pass --disk-format qcow2.' });
  if (head.readBigUInt64BE(8) !== 0n) throw new InvalidInputError('qcow2 images with a backing file are refused.', { code: 'IMAGE_UNSAFE', hint: 'Flatten it first: qemu-img convert -O qcow2 in.qcow2 out.qcow2.' });
  if (head.readUInt32BE(4) >= 3 && head.length >= 80 && (head.readBigUInt64BE(72) & 4n) !== 0n) {
    throw new InvalidInputError('qcow2 images with an external data file are refused.', { code: 'IMAGE_UNSAFE' });
  }
}
