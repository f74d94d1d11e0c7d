/**
 * A server's libvirt domain, decided in one place: DomainInput (plain data from the layout) →
 * typed config tree → XML text. The server's display name only ever reaches <title> and our
 * metadata; the domain's name and UUID come from their own fields, checked here.
 */
import { createHash } from 'node:crypto';
import { InvalidInputError } from '../../lib/errors';
import {
  ConsoleConfig, CpuConfig, DiskConfig, DomainConfig, FeaturesConfig, InstanceMetadataConfig,
  InterfaceConfig, MemballoonConfig, OsConfig, RngConfig, SerialConfig, type DiskBus,
} from './config';
import { toXmlString } from './xml';

export { canonicalDomainXml, diffLines } from './config/canonical';

export type Domain = DomainConfig;

export interface DomainDisk { path: string; target: string; format: 'qcow2' | 'raw'; device?: 'disk' | 'cdrom'; bus?: DiskBus; readonly?: boolean }
export interface DomainNic { type: 'network' | 'bridge'; source: string; mac: string; model?: string }
export interface DomainInput {
  uuid: string;
  /** libvirt domain name (unique per host), e.g. novalite-<uuid>. */
  name: string;
  /** The server's display name: any unicode, quotes, <, &, $(…) — goes to <title> and metadata only. */
  title: string;
  virtType: 'qemu' | 'kvm'; arch: string; machineType: string | null;
  vcpus: number; memoryMb: number;
  cpuMode: 'host-model' | 'host-passthrough' | 'none';
  disks: DomainDisk[];
  kernel?: string | null; initrd?: string | null; cmdline?: string | null;
  consoleLogPath: string;
  nics: DomainNic[];
  metadata: { serverName: string; projectId: string; userId: string | null; flavor: { name: string; vcpus: number; memoryMb: number; rootGb: number; ephemeralGb: number; swapMb: number }; imageId: string | null; createdAt: string };
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const X86 = new Set(['x86_64', 'i686']);

function check(ok: boolean, what: string, value: unknown): void {
  if (!ok) throw new InvalidInputError(`Invalid ${what} for a libvirt domain: ${JSON.stringify(value)}.`, { code: 'INVALID_DOMAIN_INPUT' });
}

function checkInput(i: DomainInput): void {
  check(UUID_RE.test(i.uuid), 'uuid', i.uuid);
  // libvirt's objectName: no slash (names become file names on the host), no line break.
  check(/^[^/\r\n]+$/.test(i.name), 'name', i.name);
  check(/^[a-z0-9_]+$/.test(i.arch), 'arch', i.arch);
  check(i.machineType === null || /^[A-Za-z0-9._-]+$/.test(i.machineType), 'machine type', i.machineType);
  check(Number.isInteger(i.vcpus) && i.vcpus > 0, 'vcpu count', i.vcpus);
  check(Number.isInteger(i.memoryMb) && i.memoryMb > 0, 'memory size (MiB)', i.memoryMb);
  const paths = [i.consoleLogPath, ...i.disks.map((d) => d.path), i.kernel, i.initrd].filter((p): p is string => !!p);
  for (const p of paths) check(p.startsWith('/'), 'path (must be absolute)', p);
  for (const d of i.disks) check(/^(vd|sd|hd|xvd)[a-z]{1,3}$/.test(d.target), 'disk target', d.target);
  for (const n of i.nics) {
    check(MAC_RE.test(n.mac), 'MAC address', n.mac);
    check(n.source.length > 0, 'NIC source', n.source);
  }
}

/** The bus a CD-ROM can sit on: q35 has no IDE controller, and only x86 machines have IDE at all. */
function cdromBus(machineType: string | null, arch: string): DiskBus {
  if (machineType && /q35/.test(machineType)) return 'sata';
  return X86.has(arch) ? 'ide' : 'scsi';
}

export function buildDomain(input: DomainInput): Domain {
  checkInput(input);
  const disks = input.disks.map((d) => new DiskConfig({
    device: d.device ?? 'disk',
    driverType: d.format,
    sourceFile: d.path,
    targetDev: d.target,
    targetBus: d.bus ?? (d.device === 'cdrom' ? cdromBus(input.machineType, input.arch) : 'virtio'),
    readonly: d.readonly ?? false,
  }));
  const nics = input.nics.map((n) => new InterfaceConfig({ type: n.type, source: n.source, mac: n.mac.toLowerCase(), model: n.model ?? 'virtio' }));
  // TCG cannot emulate the host's CPU model faithfully, so under qemu the emulator's default
  // model is used; `check` is what libvirt would fill in itself, written to keep diffs quiet.
  const cpu = input.virtType === 'kvm' && input.cpuMode !== 'none'
    ? new CpuConfig({ mode: input.cpuMode, check: input.cpuMode === 'host-model' ? 'partial' : 'none' })
    : null;
  const m = input.metadata;
  return new DomainConfig({
    type: input.virtType,
    name: input.name,
    uuid: input.uuid.toLowerCase(),
    title: input.title,
    description: 'Managed by novalite.',
    memoryKib: input.memoryMb * 1024,
    vcpus: input.vcpus,
    metadata: [new InstanceMetadataConfig({
      serverName: m.serverName, projectId: m.projectId, userId: m.userId, flavor: { ...m.flavor }, imageId: m.imageId, createdAt: m.createdAt,
    })],
    os: new OsConfig({
      arch: input.arch, machine: input.machineType, bootDevs: ['hd'],
      kernel: input.kernel ?? null, initrd: input.initrd ?? null, cmdline: input.kernel ? input.cmdline ?? null : null,
    }),
    // APIC is an x86 notion; other architectures have their own interrupt controllers.
    features: new FeaturesConfig({ acpi: true, apic: X86.has(input.arch) }),
    cpu,
    devices: [
      ...disks, ...nics,
      new SerialConfig({ logFile: input.consoleLogPath }), new ConsoleConfig(),
      new MemballoonConfig({ model: 'none' }), new RngConfig(),
    ],
  });
}

export function domainXml(input: DomainInput): string {
  return toXmlString(buildDomain(input).toXml());
}

/**
 * A MAC that is the same every time a server's domain is rebuilt (host moves, rescue, resize),
 * so guest network config and DHCP leases survive. fa:16:3e is the prefix OpenStack uses.
 */
export function macFor(uuid: string, index: number): string {
  check(Number.isInteger(index) && index >= 0, 'NIC index', index);
  const h = createHash('sha256').update(`${uuid.toLowerCase()}${index}`).digest();
  return ['fa', '16', '3e', ...[0, 1, 2].map((i) => h[i].toString(16).padStart(2, '0'))].join(':');
}
