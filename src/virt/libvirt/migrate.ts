/**
 * Moving a server between hosts. Cold (resize and migrate): the source stops the domain,
 * undefines it and parks its directory as <uuid>_resize; the files stream source → controller
 * → destination as a tar over the two SSH connections, so hosts need no keys for each other.
 * Revert brings the parked directory back; confirm deletes it. Live: the destination gets the
 * directory's small files and empty overlays on its own cached base, then virsh on the
 * controller drives `migrate --live --copy-storage-inc` between the two hosts' libvirtds.
 */
import { PassThrough } from 'node:stream';
import { HostError } from '../../lib/errors';
import type { HostTarget, InstanceSpec, MigrationToken } from '../driver';
import type { LibvirtDriver } from './driver';
import { ensureBase, basePath } from './image-cache';
import { domainInputOf } from './layout';
import { domainXml } from './domain';
import { domainName } from './paths';
import { HostCommandError, VIRSH } from './remote';
import { backingFormat } from './spawn';
import { liveMigrationCommand, runLocal } from './live-uri';
import { sh } from './ssh/quote';

export interface LibvirtMigrationToken extends MigrationToken {
  kind: 'libvirt-cold-migration';
  uuid: string;
  sourceHost: string;
  sameHost: boolean;
}

const MOVED = ['disk', 'disk.eph0', 'disk.swap', 'disk.config', 'kernel', 'ramdisk', 'console.log', 'libvirt.xml', 'bases'];

/** Streams `files` (those that exist) of `fromDir` on one host into `toDir` on another. */
export async function copyDir(src: LibvirtDriver, fromDir: string, dest: LibvirtDriver, toDir: string, files: string[]): Promise<void> {
  const pass = new PassThrough({ highWaterMark: 4 * 1024 * 1024 });
  const list = files.map((f) => `[ -e ${sh(f)} ] && printf '%s\\n' ${sh(f)}`).join('; ');
  const pack = `cd ${sh(fromDir)} && { ${list}; true; } | tar -c -S -f - -T -`;
  const unpack = `${sh('mkdir', '-p', toDir)} && ${sh('tar', '-x', '-S', '-C', toDir, '-f', '-')}`;
  const [out, into] = await Promise.all([
    src.remote.transport.pipe(pack, { output: pass, timeoutMs: 3_600_000 }).finally(() => pass.end()),
    dest.remote.transport.pipe(unpack, { input: pass, timeoutMs: 3_600_000 }),
  ]);
  if (out.code !== 0) throw new HostCommandError(src.target.name, 'disk copy (send)', out);
  if (into.code !== 0) throw new HostCommandError(dest.target.name, 'disk copy (receive)', into);
}

function sameHost(a: LibvirtDriver, b: HostTarget): boolean {
  return a.target.name === b.name;
}

export async function migrateDiskAndPowerOff(src: LibvirtDriver, inst: InstanceSpec, destTarget: HostTarget): Promise<MigrationToken> {
  const name = domainName(inst.uuid);
  const dir = src.paths.instanceDir(inst.uuid);
  const parked = src.paths.resizeDir(inst.uuid);
  await src.shutdown(inst, src.cfg.shutdownTimeoutSeconds);
  await src.remote.run('park instance directory', [
    'set -e',
    sh('rm', '-rf', parked),
    sh('mv', dir, parked),
    `${sh(...VIRSH, 'undefine', '--managed-save', name)} >/dev/null`,
  ].join('\n'));
  const same = sameHost(src, destTarget);
  const dest = same ? src : src.peer(destTarget);
  try {
    if (same) {
      await src.remote.run('copy instance directory', `${sh('mkdir', '-p', dir)} && ${sh('cp', '-a', '--sparse=always', `${parked}/.`, dir)}`);
    } else {
      await dest.ensureBases(dest.layout(inst));
      await copyDir(src, parked, dest, dest.paths.instanceDir(inst.uuid), MOVED);
    }
  } catch (e) {
    // Undo: the destination keeps nothing, the source gets its directory and domain back.
    if (!same) await dest.remote.try(sh('rm', '-rf', dest.paths.instanceDir(inst.uuid))).catch(() => undefined);
    await finishRevertMigration(src, inst, { powerOn: false }).catch(() => undefined);
    throw e;
  }
  const token: LibvirtMigrationToken = { kind: 'libvirt-cold-migration', uuid: inst.uuid, sourceHost: src.target.name, sameHost: same };
  return token;
}

export async function finishMigration(dest: LibvirtDriver, inst: InstanceSpec, token: MigrationToken, opts: { powerOn: boolean }): Promise<void> {
  if (token?.kind !== 'libvirt-cold-migration' || token.uuid !== inst.uuid) {
    throw new HostError(`Host ${dest.target.name} got a migration token that is not for server ${inst.uuid}.`, { code: 'BAD_MIGRATION_TOKEN' });
  }
  const f = (n: Parameters<LibvirtDriver['paths']['file']>[1]) => dest.paths.file(inst.uuid, n);
  const l = dest.layout(inst);
  const xml = domainXml(domainInputOf(inst, dest.cfg, dest.paths, l));
  const lines = ['set -e'];
  // A resize grows the root disk; qemu-img never shrinks it (the service refuses smaller flavors).
  if (inst.flavor.rootGb > 0) lines.push(`cur=$(qemu-img info -U --output=json ${sh(f('disk'))} | sed -n 's/.*"virtual-size": *\\([0-9]*\\).*/\\1/p' | head -n 1)`,
    '[ -n "$cur" ] || { echo "error: cannot read the size of the root disk" >&2; exit 1; }',
    `if [ "$cur" -lt ${inst.flavor.rootGb * 1024 ** 3} ]; then ${sh('qemu-img', 'resize', '-q', f('disk'), `${inst.flavor.rootGb}G`)}; fi`);
  if (l.ephemeralGb > 0) lines.push(`[ -e ${sh(f('disk.eph0'))} ] || ${sh('qemu-img', 'create', '-q', '-f', 'qcow2', f('disk.eph0'), `${l.ephemeralGb}G`)}`);
  if (l.swapMb > 0) lines.push(`[ -e ${sh(f('disk.swap'))} ] || ${sh('qemu-img', 'create', '-q', '-f', 'qcow2', f('disk.swap'), `${l.swapMb}M`)}`);
  lines.push(`cat > ${sh(f('libvirt.xml'))}`, sh(...VIRSH, 'define', f('libvirt.xml')));
  if (opts.powerOn) lines.push(sh(...VIRSH, 'start', l.name));
  await dest.remote.run('finish migration', lines.join('\n'), { stdin: xml });
}

export async function finishRevertMigration(src: LibvirtDriver, inst: InstanceSpec, opts: { powerOn: boolean }): Promise<void> {
  const dir = src.paths.instanceDir(inst.uuid);
  const parked = src.paths.resizeDir(inst.uuid);
  const name = domainName(inst.uuid);
  const lines = [
    'set -e',
    `if [ -d ${sh(parked)} ]; then ${sh('rm', '-rf', dir)}; ${sh('mv', parked, dir)}; fi`,
    sh(...VIRSH, 'define', `${dir}/libvirt.xml`),
  ];
  if (opts.powerOn) lines.push(sh(...VIRSH, 'start', name));
  await src.remote.run('revert migration', lines.join('\n'));
}

export async function cleanupMigrationSource(src: LibvirtDriver, inst: InstanceSpec): Promise<void> {
  await src.remote.run('remove parked directory', sh('rm', '-rf', src.paths.resizeDir(inst.uuid)));
}

export async function liveMigrate(src: LibvirtDriver, inst: InstanceSpec, destTarget: HostTarget): Promise<void> {
  if (sameHost(src, destTarget)) throw new HostError('A server cannot be live-migrated to the host it is on.', { code: 'SAME_HOST' });
  const dest = src.peer(destTarget);
  const dir = src.paths.instanceDir(inst.uuid);
  const destDir = dest.paths.instanceDir(inst.uuid);
  if (src.paths.root !== dest.paths.root) {
    throw new HostError(`Hosts ${src.target.name} and ${dest.target.name} keep servers under different roots; live migration needs the same paths.`, { code: 'ROOT_MISMATCH' });
  }
  const l = src.layout(inst);
  const sizes = await src.remote.run('disk sizes', ['disk', 'disk.eph0', 'disk.swap']
    .map((d) => `[ -e ${sh(`${dir}/${d}`)} ] && printf '%s ' ${sh(d)} && qemu-img info -U --output=json ${sh(`${dir}/${d}`)} | sed -n 's/.*"virtual-size": *\\([0-9]*\\).*/\\1/p' | head -n 1`).join('; ') + '; true');
  const disks = sizes.split('\n').map((s) => s.trim().split(/\s+/)).filter((x) => x.length === 2).map(([d, n]) => ({ d, n: Number(n) }));
  try {
    if (l.image) await ensureBase(dest.remote, dest.paths, l.image);
    await copyDir(src, dir, dest, destDir, ['disk.config', 'kernel', 'ramdisk', 'libvirt.xml', 'bases', 'console.log']);
    const make = disks.map(({ d, n }) => (d === 'disk' && l.image
      ? sh('qemu-img', 'create', '-q', '-f', 'qcow2', '-F', backingFormat(l.image), '-b', basePath(dest.paths, l.image), `${destDir}/${d}`, n)
      : sh('qemu-img', 'create', '-q', '-f', 'qcow2', `${destDir}/${d}`, n)));
    await dest.remote.run('prepare live migration', ['set -e', ...make, sh('touch', `${destDir}/console.log`)].join('\n'));
    const r = await runLocal(liveMigrationCommand(src.cfg, dest.cfg, domainName(inst.uuid)), 1_800_000);
    if (r.code !== 0) throw new HostCommandError(src.target.name, 'live migration', r);
  } catch (e) {
    await dest.remote.try(sh('rm', '-rf', destDir)).catch(() => undefined);
    throw e;
  }
  await src.remote.try(sh('rm', '-rf', dir));
}
