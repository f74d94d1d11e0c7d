/**
 * The config drive: the files cloud-init's OpenStack datasource reads from a volume labelled
 * config-2 (openstack/latest/meta_data.json, user_data, network_data.json, vendor_data.json),
 * laid out here as tar entries and turned into an ISO on the host by genisoimage or xorriso.
 */
import type { InstanceSpec } from '../driver';
import { sh } from './ssh/quote';
import type { TarEntry } from './tar';

export interface ConfigDriveNic { mac: string; network: string | null }

export function metaData(inst: InstanceSpec, availabilityZone: string | null): Record<string, unknown> {
  const keys: Record<string, string> = {};
  if (inst.keyData) keys[inst.keyName ?? 'default'] = inst.keyData;
  return {
    uuid: inst.uuid,
    name: inst.name,
    hostname: inst.hostname,
    project_id: inst.projectId,
    availability_zone: availabilityZone,
    launch_index: 0,
    meta: inst.metadata,
    public_keys: keys,
    ...(inst.keyData ? { keys: [{ name: inst.keyName ?? 'default', type: 'ssh', data: inst.keyData }] } : {}),
    devices: [],
  };
}

export function networkData(nics: ConfigDriveNic[]): Record<string, unknown> {
  return {
    links: nics.map((n, i) => ({ id: `tap${i}`, type: 'phy', ethernet_mac_address: n.mac, mtu: 1500, vif_id: `${i}` })),
    networks: nics.map((n, i) => ({ id: `network${i}`, type: 'ipv4_dhcp', link: `tap${i}`, network_id: n.network ?? `net${i}` })),
    services: [],
  };
}

/** Tar entries under `prefix` (e.g. `configdrive/`) for the ISO's tree. */
export function configDriveEntries(prefix: string, inst: InstanceSpec, nics: ConfigDriveNic[], availabilityZone: string | null): TarEntry[] {
  const dir = `${prefix}openstack/latest/`;
  const entries: TarEntry[] = [
    { name: `${dir}meta_data.json`, data: JSON.stringify(metaData(inst, availabilityZone)) },
    { name: `${dir}network_data.json`, data: JSON.stringify(networkData(nics)) },
    { name: `${dir}vendor_data.json`, data: '{}' },
    { name: `${dir}vendor_data2.json`, data: '{}' },
  ];
  // The core keeps user data as the user's own bytes (the REST layer decodes Nova's base64).
  if (inst.userData) entries.push({ name: `${dir}user_data`, data: inst.userData });
  return entries;
}

/** The shell command that turns `srcDir` into the config-2 ISO at `iso`. */
export function isoCommand(tool: 'genisoimage' | 'xorriso', srcDir: string, iso: string): string {
  const common = ['-o', iso, '-ldots', '-allow-lowercase', '-allow-multidot', '-l', '-quiet', '-J', '-r', '-V', 'config-2', srcDir];
  return tool === 'genisoimage' ? sh('genisoimage', ...common) : sh('xorriso', '-as', 'genisoimage', ...common);
}
