/**
 * A spawn as one remote script: the small files (domain XML, config-drive tree, the list of
 * bases the server uses) travel as a tar on stdin, and the host makes the disks, the ISO and
 * the domain and starts it, all in one round trip. When a base image is missing the script
 * exits MISSING_BASE before touching anything, the driver uploads it and runs the script again.
 */
import type { ImageRef, InstanceSpec } from '../driver';
import { configDriveEntries } from './configdrive';
import { isoCommand } from './configdrive';
import { domainXml } from './domain';
import type { LibvirtHostConfig } from './host-config';
import { basePath, baseKey } from './image-cache';
import { domainInputOf, type Layout } from './layout';
import type { HostPaths } from './paths';
import { VIRSH } from './remote';
import { sh } from './ssh/quote';
import { tarOf, type TarEntry } from './tar';

export const MISSING_BASE = 42;

/** Images the server's disks and direct boot need in the host's cache. */
export function basesOf(l: Layout): ImageRef[] {
  return [l.image, l.kernel, l.ramdisk].filter((x): x is ImageRef => !!x && !!(x.checksum || x.id));
}

/** qemu-img's backing format for an image's disk format. */
export function backingFormat(image: ImageRef): 'qcow2' | 'raw' {
  return image.diskFormat === 'qcow2' ? 'qcow2' : 'raw';
}

export interface SpawnPlan { script: string; stdin: Buffer; xml: string }

export function spawnPlan(inst: InstanceSpec, cfg: LibvirtHostConfig, paths: HostPaths, l: Layout): SpawnPlan {
  const f = (n: Parameters<HostPaths['file']>[1]) => paths.file(inst.uuid, n);
  const xml = domainXml(domainInputOf(inst, cfg, paths, l));
  const entries: TarEntry[] = [
    { name: 'libvirt.xml', data: xml, mode: 0o600 },
    { name: 'bases', data: basesOf(l).map((b) => `${baseKey(b)}\n`).join('') },
  ];
  if (l.configDrive) entries.push(...configDriveEntries('configdrive/', inst, l.nics.map((n) => ({ mac: n.mac, network: n.source })), inst.availabilityZone ?? null));
  // A spawn that already happened (a retried build) is done: never recreate a running server's disks.
  // Only when the disk exists already (a retried build) is libvirt asked, so a first spawn pays nothing.
  const lines = ['set -e', 'umask 077', `if [ -e ${sh(paths.file(inst.uuid, 'disk'))} ] && ${sh(...VIRSH, 'domstate', l.name)} 2>/dev/null | grep -qx running; then exit 0; fi`];
  for (const b of basesOf(l)) lines.push(`test -s ${sh(basePath(paths, b))} || exit ${MISSING_BASE}`, sh('touch', '-c', basePath(paths, b)));
  // Files stay private (0600); directories are traversable so qemu, running as its own user where
  // libvirt is set up so, reaches the disks libvirt hands it.
  lines.push(sh('mkdir', '-p', l.dir), sh('chmod', '0711', paths.root, paths.instances, l.dir), sh('tar', '-x', '-C', l.dir, '-f', '-'));
  const root = inst.flavor.rootGb > 0 ? [`${inst.flavor.rootGb}G`] : [];
  if (l.image) lines.push(sh('qemu-img', 'create', '-q', '-f', 'qcow2', '-F', backingFormat(l.image), '-b', basePath(paths, l.image), f('disk'), ...root));
  else lines.push(sh('qemu-img', 'create', '-q', '-f', 'qcow2', f('disk'), `${Math.max(inst.flavor.rootGb, 1)}G`));
  if (l.ephemeralGb > 0) lines.push(sh('qemu-img', 'create', '-q', '-f', 'qcow2', f('disk.eph0'), `${l.ephemeralGb}G`));
  if (l.swapMb > 0) lines.push(sh('qemu-img', 'create', '-q', '-f', 'qcow2', f('disk.swap'), `${l.swapMb}M`));
  if (l.kernel) lines.push(sh('cp', basePath(paths, l.kernel), f('kernel')));
  if (l.kernel && l.ramdisk) lines.push(sh('cp', basePath(paths, l.ramdisk), f('ramdisk')));
  if (l.configDrive) {
    lines.push(isoCommand(cfg.isoTool ?? 'genisoimage', `${l.dir}/configdrive`, f('disk.config')), sh('rm', '-rf', `${l.dir}/configdrive`));
  }
  lines.push(sh('touch', f('console.log')));
  lines.push(sh(...VIRSH, 'define', f('libvirt.xml')), sh(...VIRSH, 'start', l.name));
  return { script: lines.join('\n'), stdin: tarOf(entries), xml };
}
