/** Human output and flags shared by the image commands. */
import { Flags } from '@oclif/core';
import { Column, keyValues, table } from '../_render';
import { imageViewProperties, ImageView } from '../../lib/views/images';

const VIS = ['public', 'private', 'community', 'shared'] as const;
type Vis = (typeof VIS)[number];

/** --public, --private, --community, --shared: at most one. */
export function visibilityFlags(what: string) {
  const flag = (v: Vis, description: string) => Flags.boolean({ description, exclusive: VIS.filter((x) => x !== v) });
  return {
    public: flag('public', `${what} every project.`),
    private: flag('private', `${what} only the owner project.`),
    community: flag('community', `${what} every project, but not listed by default in Glance (listed here).`),
    shared: flag('shared', `${what} the owner project (and, later, its members).`),
  };
}

export function visibilityOf(f: Partial<Record<Vis, boolean>>): Vis | undefined {
  return VIS.find((v) => f[v]);
}

export const properties = (p: Record<string, unknown>): string =>
  Object.entries(p).map(([k, v]) => `${k}='${typeof v === 'string' ? v : JSON.stringify(v)}'`).join(', ');

export function imagesTable(images: ImageView[], long = false): string {
  const cols: Column<ImageView>[] = [{ header: 'ID', get: (i) => i.id }, { header: 'Name', get: (i) => i.name }];
  if (long) {
    cols.push({ header: 'Disk Format', get: (i) => i.disk_format }, { header: 'Container Format', get: (i) => i.container_format },
      { header: 'Size', get: (i) => i.size }, { header: 'Checksum', get: (i) => i.checksum });
  }
  cols.push({ header: 'Status', get: (i) => i.status });
  if (long) {
    cols.push({ header: 'Visibility', get: (i) => i.visibility }, { header: 'Protected', get: (i) => i.protected },
      { header: 'Project', get: (i) => i.owner }, { header: 'Tags', get: (i) => i.tags.join(', ') });
  }
  return table(images, cols);
}

export function imageDetail(i: ImageView): string {
  return keyValues({
    id: i.id, name: i.name, status: i.status, visibility: i.visibility, protected: i.protected, disk_format: i.disk_format,
    container_format: i.container_format, min_disk: i.min_disk, min_ram: i.min_ram, size: i.size, checksum: i.checksum,
    os_hash_algo: i.os_hash_algo, os_hash_value: i.os_hash_value, owner: i.owner, tags: i.tags.join(', '),
    properties: properties(imageViewProperties(i)), file: i.file, created_at: i.created_at, updated_at: i.updated_at,
  });
}
