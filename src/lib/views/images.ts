/**
 * Serializers for images, shared by `--json` and (later) the Image API v2 subset: the Glance v2
 * image object, with free-form properties as top-level keys (core attributes win on a clash).
 */
import type { Image } from '../model/images';

export interface ImageView {
  id: string;
  name: string | null;
  status: string;
  visibility: string;
  protected: boolean;
  os_hidden: boolean;
  disk_format: string | null;
  container_format: string | null;
  min_disk: number;
  min_ram: number;
  size: number | null;
  virtual_size: number | null;
  checksum: string | null;
  os_hash_algo: string | null;
  os_hash_value: string | null;
  owner: string | null;
  tags: string[];
  created_at: string;
  updated_at: string;
  file: string;
  self: string;
  schema: string;
  [property: string]: unknown;
}

export function imageView(i: Image): ImageView {
  return {
    ...i.properties,
    id: i.id,
    name: i.name,
    status: i.status,
    visibility: i.visibility,
    protected: i.protected,
    os_hidden: false,
    disk_format: i.diskFormat,
    container_format: i.containerFormat,
    min_disk: i.minDisk,
    min_ram: i.minRam,
    size: i.size,
    virtual_size: null,
    checksum: i.checksum,
    os_hash_algo: i.osHashAlgo,
    os_hash_value: i.osHashValue,
    owner: i.owner,
    tags: [...i.tags],
    created_at: i.createdAt,
    updated_at: i.updatedAt ?? i.createdAt,
    file: `/v2/images/${i.id}/file`,
    self: `/v2/images/${i.id}`,
    schema: '/v2/schemas/image',
  };
}

/** The keys of an image view that are not free-form properties. */
export const IMAGE_CORE_KEYS = ['id', 'name', 'status', 'visibility', 'protected', 'os_hidden', 'disk_format', 'container_format', 'min_disk',
  'min_ram', 'size', 'virtual_size', 'checksum', 'os_hash_algo', 'os_hash_value', 'owner', 'tags', 'created_at', 'updated_at', 'file', 'self',
  'schema'] as const;

/** The free-form properties of an image view. */
export function imageViewProperties(v: ImageView): Record<string, unknown> {
  const core = new Set<string>(IMAGE_CORE_KEYS);
  return Object.fromEntries(Object.entries(v).filter(([k]) => !core.has(k)));
}
