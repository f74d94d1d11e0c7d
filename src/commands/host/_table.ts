/** The hosts table shared by the host commands. */
import { Column, table } from '../_render';
import type { HostView } from '../../lib/views/hosts';

const used = (u: number, t: number) => `${u}/${t}`;

export function hostsTable(hosts: HostView[], long = false): string {
  const cols: Column<HostView>[] = [
    { header: 'Name', get: (h: HostView) => h.name },
    { header: 'Cell', get: (h: HostView) => h.cell },
    { header: 'Zone', get: (h: HostView) => h.availability_zone },
    { header: 'State', get: (h: HostView) => h.state },
    { header: 'Status', get: (h: HostView) => h.status },
    { header: 'vCPUs', get: (h: HostView) => used(h.vcpus_used, h.vcpus) },
    { header: 'RAM MB', get: (h: HostView) => used(h.memory_mb_used, h.memory_mb) },
    { header: 'Disk GB', get: (h: HostView) => used(h.local_gb_used, h.local_gb) },
  ];
  if (long) {
    cols.push(
      { header: 'Servers', get: (h) => h.running_vms },
      { header: 'Driver', get: (h) => h.driver },
      { header: 'Host IP', get: (h) => h.host_ip },
      { header: 'Ratios cpu/ram/disk', get: (h) => [h.cpu_allocation_ratio, h.ram_allocation_ratio, h.disk_allocation_ratio].map((r) => r ?? '-').join('/') },
      { header: 'Disabled Reason', get: (h) => h.disabled_reason },
      { header: 'ID', get: (h) => h.id },
    );
  }
  return table(hosts, cols);
}
