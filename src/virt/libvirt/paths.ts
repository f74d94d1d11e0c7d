/**
 * Where novalite keeps things on a host. One directory per server holds every file made for
 * it, so destroy is one `rm -rf` and doctor can tell what belongs to whom; base images live in
 * a cache shared by the host's servers, keyed by checksum.
 */
import { posix } from 'node:path';

/** libvirt domain names are novalite-<uuid>: unique per host, and never derived from a user's server name. */
export const DOMAIN_PREFIX = 'novalite-';

export function domainName(uuid: string): string {
  return `${DOMAIN_PREFIX}${uuid}`;
}

/** The server UUID of a domain name we made, or null for any other domain on the host. */
export function uuidOfDomain(name: string): string | null {
  const m = /^novalite-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(name.trim());
  return m ? m[1] : null;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A path is only ever built from a canonical UUID, so no server can name its way out of its directory. */
function checkUuid(uuid: string): string {
  if (!UUID_RE.test(uuid)) throw new TypeError(`Not a server UUID: ${JSON.stringify(uuid).slice(0, 60)}`);
  return uuid;
}

export class HostPaths {
  constructor(readonly root: string) {}

  get instances(): string { return posix.join(this.root, 'instances'); }
  get base(): string { return posix.join(this.root, '_base'); }

  /** Cache file for an image: by checksum when known (so a re-upload with equal bytes is shared), else by id. */
  baseImage(key: string): string { return posix.join(this.base, key.replace(/[^A-Za-z0-9_.-]/g, '_')); }

  instanceDir(uuid: string): string { return posix.join(this.instances, checkUuid(uuid)); }
  /** Where a server's files wait during a resize or cold migration until it is confirmed or reverted. */
  resizeDir(uuid: string): string { return posix.join(this.instances, `${checkUuid(uuid)}_resize`); }

  file(uuid: string, name: InstanceFile): string { return posix.join(this.instanceDir(uuid), name); }
}

export type InstanceFile =
  | 'disk' | 'disk.eph0' | 'disk.swap' | 'disk.config' | 'disk.rescue'
  | 'kernel' | 'ramdisk' | 'console.log' | 'libvirt.xml' | 'rescue.xml';
