/**
 * The extra specs Nova knows, for the validation microversion 2.86 adds to os-extra_specs: a
 * known key must carry a value of its type (enum, pattern, integer range, boolean); a key in a
 * namespace Nova knows (hw:, quota:, resources…:, trait…:, …) but that Nova does not know is
 * refused; keys in other namespaces, or without one, pass unchecked. Facts from Nova's
 * nova/api/validation/extra_specs/*.py. Standard traits (os-traits, hundreds of names) are
 * accepted by shape (`trait[group]:NAME`), not by list.
 */
import { InvalidInputError } from '../../errors';

type Value = { type: 'str'; enum?: string[]; pattern?: string } | { type: 'int'; min?: number; max?: number } | { type: 'bool' };
interface Rule { re: RegExp; value: Value }

const str = (o: { enum?: string[]; pattern?: string } = {}): Value => ({ type: 'str', ...o });
const int = (min?: number, max?: number): Value => ({ type: 'int', min, max });
const bool: Value = { type: 'bool' };
const CPU_MASK = '\\^?\\d+((-\\d+)?(,\\^?\\d+(-\\d+)?)?)*';
const GROUP = '([a-zA-Z0-9_-]{1,64})?';
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const EXACT: Record<string, Value> = {
  'hw:cpu_realtime': bool, 'hw:cpu_realtime_mask': str({ pattern: `(\\^)?\\d+((-\\d+)?(,\\^?\\d+(-\\d+)?)?)*` }), 'hw:hide_hypervisor_id': bool,
  'hw:cpu_policy': str({ enum: ['dedicated', 'shared', 'mixed'] }), 'hw:cpu_thread_policy': str({ enum: ['prefer', 'isolate', 'require'] }),
  'hw:emulator_threads_policy': str({ enum: ['isolate', 'share'] }), 'hw:cpu_dedicated_mask': str({ pattern: CPU_MASK }),
  'hw:mem_page_size': str({ pattern: '(large|small|any|\\d+([kKMGT]i?)?(b|bit|B)?)' }), 'hw:locked_memory': bool, 'hw:numa_nodes': int(1),
  'hw:pci_numa_affinity_policy': str({ enum: ['required', 'preferred', 'legacy', 'socket'] }),
  'hw:cpu_sockets': int(1), 'hw:cpu_cores': int(1), 'hw:cpu_threads': int(1), 'hw:cpu_max_sockets': int(1), 'hw:cpu_max_cores': int(1), 'hw:cpu_max_threads': int(1),
  'hw:boot_menu': bool, 'hw:vif_multiqueue_enabled': bool, 'hw:mem_encryption': bool,
  'hw:mem_encryption_model': str({ enum: ['amd-sev', 'amd-sev-es', 'amd-sev-snp'] }), 'hw:pmem': str({ pattern: '([a-zA-Z0-9_]+(,)?)+' }), 'hw:pmu': bool,
  'hw:serial_port_count': int(0), 'hw:tpm_model': str({ enum: ['tpm-tis', 'tpm-crb'] }), 'hw:tpm_version': str({ enum: ['1.2', '2.0'] }),
  'hw:tpm_secret_security': str({ enum: ['user', 'host', 'deployment'] }),
  'hw:watchdog_action': str({ enum: ['none', 'pause', 'poweroff', 'reset', 'disabled'] }), 'hw:viommu_model': str({ enum: ['intel', 'smmuv3', 'virtio', 'auto'] }),
  'hw:virtio_packed_ring': bool, 'hw:sound_model': str({ enum: ['sb16', 'es1370', 'pcspk', 'ac97', 'ich6', 'ich9', 'usb', 'virtio'] }),
  'hw:usb_model': str({ enum: ['none', 'nec-xhci', 'qemu-xhci'] }), 'hw:redirected_usb_ports': int(0, 15),
  'hw:ephemeral_encryption': bool, 'hw:ephemeral_encryption_format': str({ enum: ['plain', 'luks', 'luksv2'] }),
  'hw_rng:allowed': bool, 'hw_rng:rate_bytes': int(0), 'hw_rng:rate_period': int(0), 'hw_video:ram_max_mb': int(0),
  hide_hypervisor_id: bool, group_policy: str({ enum: ['isolate', 'none'] }), 'os:secure_boot': str({ enum: ['disabled', 'required'] }),
  'pci_passthrough:alias': str({ pattern: '[^:]+:\\d+(?:\\s*,\\s*[^:]+:\\d+)*' }), 'accel:device_profile': str(),
  'vmware:hw_version': str(), 'vmware:storage_policy': str(),
  'quota:cpu_shares': int(0), 'quota:cpu_period': int(0), 'quota:cpu_quota': int(),
};
for (const k of ['cpu', 'memory', 'disk_io', 'vif']) {
  Object.assign(EXACT, {
    [`quota:${k}_limit`]: int(0), [`quota:${k}_reservation`]: int(),
    [`quota:${k}_shares_level`]: str({ enum: ['custom', 'high', 'normal', 'low'] }), [`quota:${k}_shares_share`]: int(0),
  });
}
for (const stat of ['read', 'write', 'total']) for (const m of ['bytes', 'iops']) EXACT[`quota:disk_${stat}_${m}_sec`] = int(0);
for (const stat of ['inbound', 'outbound']) for (const m of ['average', 'peak', 'burst']) EXACT[`quota:vif_${stat}_${m}`] = int(0);
for (const cap of ['id', 'uuid', 'service_id', 'host', 'vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used', 'local_gb_used',
  'hypervisor_type', 'hypervisor_version', 'hypervisor_hostname', 'free_ram_mb', 'free_disk_gb', 'current_workload', 'running_vms',
  'disk_available_least', 'host_ip', 'mapped', 'cpu_allocation_ratio', 'ram_allocation_ratio', 'disk_allocation_ratio',
  'total_usable_ram_mb', 'total_usable_disk_gb', 'disk_mb_used', 'free_disk_mb', 'vcpus_total', 'num_instances', 'num_io_ops',
  'failed_builds', 'aggregates', 'cell_uuid', 'updated']) EXACT[`capabilities:${cap}`] = str();

const RESOURCE_CLASSES = ['VCPU', 'MEMORY_MB', 'DISK_GB', 'PCI_DEVICE', 'SRIOV_NET_VF', 'NUMA_SOCKET', 'NUMA_CORE', 'NUMA_THREAD', 'NUMA_MEMORY_MB',
  'IPV4_ADDRESS', 'VGPU', 'VGPU_DISPLAY_HEAD', 'NET_BW_EGR_KILOBIT_PER_SEC', 'NET_BW_IGR_KILOBIT_PER_SEC', 'PCPU', 'MEM_ENCRYPTION_CONTEXT',
  'FPGA', 'PGPU', 'NET_PACKET_RATE_KILOPACKET_PER_SEC', 'NET_PACKET_RATE_EGR_KILOPACKET_PER_SEC', 'NET_PACKET_RATE_IGR_KILOPACKET_PER_SEC'];

const PATTERNS: Rule[] = [
  { re: /^hw:numa_cpus\.\d+$/, value: str({ pattern: CPU_MASK }) },
  { re: /^hw:numa_mem\.\d+$/, value: int(1) },
  { re: /^aggregate_instance_extra_specs:.+$/, value: str() },
  { re: new RegExp(`^capabilities:(${['cpu_info', 'metrics', 'stats', 'numa_topology', 'supported_hv_specs', 'pci_device_pools', 'nodename', 'pci_stats', 'supported_instances', 'limits', 'instances'].join('|')})(:\\w+)*$`), value: str() },
  { re: new RegExp(`^resources${GROUP}:(${RESOURCE_CLASSES.map(esc).join('|')}|CUSTOM_[A-Z0-9_]+)$`), value: int() },
  { re: new RegExp(`^trait${GROUP}:[A-Z0-9_]+$`), value: str({ enum: ['required', 'forbidden'] }) },
];

/** Namespaces of Nova's validators: a key in one of them that no validator knows is refused. */
const NAMESPACES = [/^hw$/, /^hw_rng$/, /^hw_video$/, /^os$/, /^quota$/, /^accel$/, /^pci_passthrough$/, /^vmware$/, /^capabilities$/,
  /^aggregate_instance_extra_specs$/, new RegExp(`^resources${GROUP}$`), new RegExp(`^trait${GROUP}$`)];

const fail = (why: string) => new InvalidInputError(`Validation failed; ${why}`, { code: 'INVALID_EXTRA_SPEC' });

function check(v: Value, value: string): void {
  if (v.type === 'int') {
    if (!/^\s*[-+]?\d+\s*$/.test(value)) throw fail(`'${value}' is not a valid integer value.`);
    const n = Number(value);
    if (v.max !== undefined && n > v.max) throw fail(`'${value}' is greater than the max value of '${v.max}'.`);
    if (v.min !== undefined && n < v.min) throw fail(`'${value}' is less than the min value of '${v.min}'.`);
  } else if (v.type === 'bool') {
    if (!['1', 't', 'true', 'on', 'y', 'yes', '0', 'f', 'false', 'off', 'n', 'no'].includes(value.trim().toLowerCase())) throw fail(`'${value}' is not a valid boolean-like value.`);
  } else if (v.pattern !== undefined) {
    if (!new RegExp(`^(?:${v.pattern})$`).test(value)) throw fail(`'${value}' is not of the format '${v.pattern}'.`);
  } else if (v.enum && !v.enum.includes(value)) {
    throw fail(`'${value}' is not one of: ${v.enum.join(', ')}.`);
  }
}

/** Nova's validators.validate(name, value) (microversion 2.86 and later). */
export function validateExtraSpec(name: string, value: string): void {
  const exact = EXACT[name];
  if (exact) { check(exact, value); return; }
  const rule = PATTERNS.find((r) => r.re.test(name));
  if (rule) { check(rule.value, value); return; }
  if (!name.includes(':')) return;
  const ns = name.split(':', 1)[0];
  if (NAMESPACES.some((re) => re.test(ns))) throw fail(`extra spec '${name}' does not appear to be a valid extra spec.`);
}
