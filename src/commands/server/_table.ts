/** Human output shared by the server commands: openstack-like tables and key/value blocks. */
import { colour, Column, keyValues, table } from '../_render';
import type { Explanation } from '../../lib/services/scheduling';
import { POWER_STATE_NAMES } from '../../lib/model/states';
import type { ServerView } from '../../lib/views/servers';

type V = ServerView & Record<string, any>;

/** openstack prints properties as `k='v', k2='v2'`. */
const props = (p: Record<string, string>): string => Object.entries(p ?? {}).map(([k, v]) => `${k}='${v}'`).join(', ');
const imageOf = (s: V, names: Map<string, string>): string => (s.image && s.image.id ? names.get(s.image.id) ?? s.image.id : '');
const powerOf = (s: V): string => POWER_STATE_NAMES[s['OS-EXT-STS:power_state']] ?? String(s['OS-EXT-STS:power_state']);

export function statusText(status: string): string {
  if (status === 'ACTIVE') return colour.ok(status);
  if (status === 'ERROR') return colour.bad(status);
  return status === 'SHUTOFF' || status === 'DELETED' ? colour.dim(status) : colour.warn(status);
}

export function serversTable(servers: ServerView[], long = false, images = new Map<string, string>()): string {
  const cols: Column<V>[] = [
    { header: 'ID', get: (s) => s.id }, { header: 'Name', get: (s) => s.name }, { header: 'Status', get: (s) => statusText(s.status) },
    { header: 'Networks', get: (s) => networksText(s.addresses) }, { header: 'Image', get: (s) => imageOf(s, images) }, { header: 'Flavor', get: (s) => s.flavor.original_name },
  ];
  if (long) {
    cols.push({ header: 'Host', get: (s) => s['OS-EXT-SRV-ATTR:host'] }, { header: 'Availability Zone', get: (s) => s['OS-EXT-AZ:availability_zone'] },
      { header: 'Task State', get: (s) => s['OS-EXT-STS:task_state'] }, { header: 'Power State', get: (s) => powerOf(s) },
      { header: 'Properties', get: (s) => props(s.metadata) });
  }
  return table(servers as V[], cols);
}

/** `default=192.168.122.5; other=10.0.0.4`, as the openstack client prints addresses. */
export function networksText(addresses: unknown): string {
  if (!addresses || typeof addresses !== 'object') return '';
  return Object.entries(addresses as Record<string, Array<{ addr?: string }>>)
    .map(([net, list]) => `${net}=${(Array.isArray(list) ? list : []).map((a) => a.addr).filter(Boolean).join(', ')}`).join('; ');
}

export function serverDetail(view: ServerView, images = new Map<string, string>()): string {
  const s = view as V;
  const f = s.flavor;
  const out: Record<string, unknown> = {
    id: s.id, name: s.name, status: statusText(s.status), description: s.description, addresses: networksText(s.addresses) || 'N/A',
    flavor: `${f.original_name} (${f.vcpus} vCPU, ${f.ram} MB RAM, ${f.disk} GB disk)`, image: imageOf(s, images) || 'N/A',
    key_name: s.key_name, properties: props(s.metadata), project_id: s.tenant_id, user_id: s.user_id,
    'OS-EXT-STS:vm_state': s['OS-EXT-STS:vm_state'], 'OS-EXT-STS:task_state': s['OS-EXT-STS:task_state'],
    'OS-EXT-STS:power_state': powerOf(s), 'OS-EXT-SRV-ATTR:host': s['OS-EXT-SRV-ATTR:host'],
    'OS-EXT-SRV-ATTR:hypervisor_hostname': s['OS-EXT-SRV-ATTR:hypervisor_hostname'], 'OS-EXT-SRV-ATTR:instance_name': s['OS-EXT-SRV-ATTR:instance_name'],
    'OS-EXT-AZ:availability_zone': s['OS-EXT-AZ:availability_zone'], config_drive: s.config_drive, locked: s.locked,
    locked_reason: s.locked_reason, 'OS-SRV-USG:launched_at': s['OS-SRV-USG:launched_at'], created: s.created, updated: s.updated,
  };
  if (s.fault) out.fault = colour.bad(`${s.fault.message} (code ${s.fault.code}, ${s.fault.created})`);
  return keyValues(out);
}

/** `server create --dry-run`: the chosen host or why none fits, filter by filter. */
export function explanationText(r: Explanation): string {
  const head = r.selected ? colour.ok(`Would be placed on ${r.selected.host} (weight ${r.selected.weight.toFixed(3)}).`) : colour.bad('No valid host.');
  const filters = table(r.filters, [
    { header: 'Filter', get: (x) => x.filter }, { header: 'Before', get: (x) => x.before }, { header: 'Removed', get: (x) => x.removed },
    { header: 'After', get: (x) => x.after }, { header: 'Why', get: (x) => x.summary ?? x.reasons.map((y) => `${y.hosts}× ${y.reason}`).join('; ') },
  ]);
  return [head, r.message, '', filters, '', colour.dim('Dry run: nothing was created.')].join('\n');
}
