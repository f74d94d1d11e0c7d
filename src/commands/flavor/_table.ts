/** Human output shared by the flavor commands. */
import { Column, keyValues, table } from '../_render';
import type { FlavorAccessView, FlavorView } from '../../lib/views/flavors';

/** What create, show, set and unset return. */
export interface FlavorResult { flavor: FlavorView; flavor_access: FlavorAccessView[] }

/** openstack prints extra specs as `k='v', k2='v2'`. */
export const properties = (p: Record<string, string>): string => Object.entries(p).map(([k, v]) => `${k}='${v}'`).join(', ');

export function flavorsTable(flavors: FlavorView[], long = false): string {
  const cols: Column<FlavorView>[] = [
    { header: 'ID', get: (f) => f.id }, { header: 'Name', get: (f) => f.name }, { header: 'RAM', get: (f) => f.ram },
    { header: 'Disk', get: (f) => f.disk }, { header: 'Ephemeral', get: (f) => f['OS-FLV-EXT-DATA:ephemeral'] },
    { header: 'VCPUs', get: (f) => f.vcpus }, { header: 'Is Public', get: (f) => f['os-flavor-access:is_public'] },
  ];
  if (long) {
    cols.push({ header: 'Swap', get: (f) => f.swap }, { header: 'RXTX Factor', get: (f) => f.rxtx_factor },
      { header: 'Description', get: (f) => f.description }, { header: 'Properties', get: (f) => properties(f.extra_specs) });
  }
  return table(flavors, cols);
}

export function flavorDetail(r: FlavorResult): string {
  const f = r.flavor;
  return keyValues({
    id: f.id, name: f.name, vcpus: f.vcpus, ram: f.ram, disk: f.disk, 'OS-FLV-EXT-DATA:ephemeral': f['OS-FLV-EXT-DATA:ephemeral'],
    swap: f.swap, rxtx_factor: f.rxtx_factor, 'os-flavor-access:is_public': f['os-flavor-access:is_public'],
    'OS-FLV-DISABLED:disabled': f['OS-FLV-DISABLED:disabled'], description: f.description, properties: properties(f.extra_specs),
    access_project_ids: f['os-flavor-access:is_public'] ? null : r.flavor_access.map((a) => a.tenant_id).join(', '),
  });
}
