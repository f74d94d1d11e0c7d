/**
 * A server's shape on a host: which files it has (root overlay, ephemeral, swap, config drive,
 * kernel and ramdisk for direct boot) and the DomainInput the XML builder turns into a domain.
 * Computed from the InstanceSpec alone, so the same server always renders the same XML.
 */
import type { ImageRef, InstanceSpec } from '../driver';
import { domainName, type HostPaths } from './paths';
import { macFor, type DomainDisk, type DomainInput, type DomainNic } from './domain';
import type { LibvirtHostConfig } from './host-config';

export interface Layout {
  name: string;
  dir: string;
  image: ImageRef | null;
  kernel: ImageRef | null;
  ramdisk: ImageRef | null;
  ephemeralGb: number;
  swapMb: number;
  configDrive: boolean;
  nics: DomainNic[];
  machineType: string;
}

export function layoutOf(inst: InstanceSpec, cfg: LibvirtHostConfig, paths: HostPaths): Layout {
  const image = inst.image ?? null;
  const props = image?.properties ?? {};
  const kernel = inst.kernel ?? image?.kernel ?? null;
  const ramdisk = kernel ? inst.ramdisk ?? image?.ramdisk ?? null : null;
  return {
    name: domainName(inst.uuid),
    dir: paths.instanceDir(inst.uuid),
    image, kernel, ramdisk,
    ephemeralGb: inst.flavor.ephemeralGb,
    swapMb: inst.flavor.swapMb,
    configDrive: inst.configDrive,
    nics: nicsOf(inst, cfg),
    machineType: props.hw_machine_type || cfg.machineType || 'pc',
  };
}

function nicsOf(inst: InstanceSpec, cfg: LibvirtHostConfig): DomainNic[] {
  if (inst.network === 'none') return [];
  const mac = macFor(inst.uuid, 0);
  if (inst.network && inst.network !== 'auto') return [{ type: 'network', source: inst.network, mac, model: 'virtio' }];
  if (cfg.network) return [{ type: 'network', source: cfg.network, mac, model: 'virtio' }];
  if (cfg.bridge) return [{ type: 'bridge', source: cfg.bridge, mac, model: 'virtio' }];
  return [];
}

/** The domain for this layout; `rescue` boots from disk.rescue with the server's disk second. */
export function domainInputOf(inst: InstanceSpec, cfg: LibvirtHostConfig, paths: HostPaths, l: Layout, opts: { rescue?: boolean } = {}): DomainInput {
  const f = (n: Parameters<HostPaths['file']>[1]) => paths.file(inst.uuid, n);
  const q35 = /q35/.test(l.machineType);
  const disks: DomainDisk[] = [];
  if (opts.rescue) disks.push({ path: f('disk.rescue'), target: 'vda', format: 'qcow2', bus: 'virtio' });
  disks.push({ path: f('disk'), target: opts.rescue ? 'vdb' : 'vda', format: 'qcow2', bus: 'virtio' });
  if (l.ephemeralGb > 0) disks.push({ path: f('disk.eph0'), target: opts.rescue ? 'vdc' : 'vdb', format: 'qcow2', bus: 'virtio' });
  if (l.swapMb > 0) disks.push({ path: f('disk.swap'), target: opts.rescue ? 'vdd' : 'vdc', format: 'qcow2', bus: 'virtio' });
  if (l.configDrive) disks.push({ path: f('disk.config'), target: q35 ? 'sda' : 'hda', format: 'raw', device: 'cdrom', bus: q35 ? 'sata' : 'ide', readonly: true });
  const props = l.image?.properties ?? {};
  return {
    uuid: inst.uuid, name: l.name, title: inst.name,
    virtType: cfg.virtType, arch: props.hw_architecture || props.architecture || cfg.arch, machineType: l.machineType,
    vcpus: inst.flavor.vcpus, memoryMb: inst.flavor.memoryMb, cpuMode: cfg.cpuMode,
    disks,
    kernel: l.kernel ? f('kernel') : null,
    initrd: l.kernel && l.ramdisk ? f('ramdisk') : null,
    cmdline: l.kernel ? props.os_command_line || 'root=/dev/vda console=tty0 console=ttyS0' : null,
    consoleLogPath: f('console.log'),
    nics: l.nics,
    metadata: {
      serverName: inst.name, projectId: inst.projectId, userId: inst.userId,
      flavor: { name: inst.flavor.name, vcpus: inst.flavor.vcpus, memoryMb: inst.flavor.memoryMb, rootGb: inst.flavor.rootGb, ephemeralGb: inst.flavor.ephemeralGb, swapMb: inst.flavor.swapMb },
      imageId: l.image?.id ?? null, createdAt: inst.createdAt ?? new Date(0).toISOString(),
    },
  };
}
