/**
 * What a host is: one round trip that asks libvirt (capabilities, nodeinfo, versions, networks),
 * the filesystem (free space under novalite's root) and the tools, parsed into the facts `host
 * add` registers and the scheduler uses. KVM counts as usable only when /dev/kvm exists and the
 * CPU has hardware virtualisation; a host that merely advertises kvm gets TCG (`qemu`).
 */
import { HostError } from '../../lib/errors';
import type { HostResources } from '../driver';
import { HostCommandError, type Remote, VIRSH } from './remote';
import { shq } from './ssh/quote';
import { parseXml } from './xml';
import { findAll, findFirst, textOf, type XmlNode } from './xml-query';

export interface HostFacts extends HostResources {
  hostname: string;
  libvirtVersion: string;
  arch: string;
  cpuModel: string;
  cpuVendor: string;
  cpuFeatures: string[];
  machineTypes: string[];
  /** The canonical machine type `pc` stands for (pc-i440fx-7.2), when advertised. */
  defaultMachineType: string | null;
  kvmUsable: boolean;
  virtType: 'qemu' | 'kvm';
  tools: { qemuImg: boolean; genisoimage: boolean; xorriso: boolean };
  networks: string[];
  freeDiskGb: number;
}

function section(out: string, name: string): string {
  const m = new RegExp(`^==${name}\\n([\\s\\S]*?)(?=^==|$(?![\\s\\S]))`, 'm').exec(out);
  return m ? m[1] : '';
}

/** "QEMU 7.2.22" → 7002022, as Nova encodes hypervisor versions. */
export function versionNumber(v: string): number {
  const [a = 0, b = 0, c = 0] = (/(\d+)\.(\d+)(?:\.(\d+))?/.exec(v) ?? []).slice(1).map((x) => Number(x ?? 0));
  return a * 1_000_000 + b * 1000 + c;
}

export function probeScript(root: string): string {
  const v = VIRSH.join(' ');
  return [
    `echo ==caps; ${v} capabilities`,
    `echo ==nodeinfo; ${v} nodeinfo`,
    `echo ==version; ${v} version --daemon`,
    `echo ==nets; ${v} net-list --name`,
    `echo ==df; mkdir -p ${shq(root)} && df -Pk ${shq(root)} | tail -n 1`,
    `echo ==kvm; if [ -c /dev/kvm ] && grep -Eqw 'vmx|svm' /proc/cpuinfo; then echo yes; else echo no; fi`,
    'echo ==tools; for t in qemu-img genisoimage xorriso; do command -v "$t" >/dev/null 2>&1 && echo "$t"; done',
    'echo ==hostname; hostname',
    'echo ==end',
  ].join('\n');
}

function nodeinfo(text: string, key: string): number {
  const m = new RegExp(`^${key}:\\s*(\\d+)`, 'mi').exec(text);
  return m ? Number(m[1]) : 0;
}

function guestInfo(caps: XmlNode, arch: string): { machines: string[]; canonical: string | null; kvm: boolean } {
  for (const g of findAll(caps, 'guest')) {
    const a = findFirst(g, 'arch');
    if (a?.attrs.name !== arch) continue;
    const machines = findAll(a, 'machine').map((m) => textOf(m)).filter(Boolean);
    const pc = findAll(a, 'machine').find((m) => textOf(m) === 'pc');
    const kvm = findAll(a, 'domain').some((d) => d.attrs.type === 'kvm');
    return { machines, canonical: pc?.attrs.canonical ?? null, kvm };
  }
  return { machines: [], canonical: null, kvm: false };
}

export function parseProbe(out: string): HostFacts {
  const capsText = section(out, 'caps').trim();
  if (!capsText.startsWith('<')) throw new HostError('The host did not return libvirt capabilities.', { code: 'PROBE_FAILED', hint: 'Is libvirtd running there? Try `novalite host verify`.' });
  const caps = parseXml(capsText);
  const cpu = findFirst(findFirst(caps, 'host') ?? caps, 'cpu');
  const arch = textOf(cpu && findFirst(cpu, 'arch')) || 'x86_64';
  const guest = guestInfo(caps, arch);
  const ni = section(out, 'nodeinfo');
  const ver = section(out, 'version');
  const df = section(out, 'df').trim().split(/\s+/);
  const tools = new Set(section(out, 'tools').split('\n').map((s) => s.trim()).filter(Boolean));
  const kvmUsable = guest.kvm && section(out, 'kvm').trim() === 'yes';
  const hv = /Running hypervisor:\s*\S+\s+([\d.]+)/.exec(ver)?.[1] ?? '0';
  const freeKb = Number(df[3] ?? 0);
  const totalKb = Number(df[1] ?? 0);
  return {
    vcpus: nodeinfo(ni, 'CPU\\(s\\)'),
    memoryMb: Math.floor(nodeinfo(ni, 'Memory size') / 1024),
    localGb: Math.floor(totalKb / 1024 / 1024),
    freeDiskGb: Math.floor(freeKb / 1024 / 1024),
    hypervisorType: 'QEMU',
    hypervisorVersion: versionNumber(hv),
    cpuInfo: {},
    hostname: section(out, 'hostname').trim(),
    libvirtVersion: /Running against daemon:\s*([\d.]+)/.exec(ver)?.[1] ?? /libvirt\s+([\d.]+)/.exec(ver)?.[1] ?? 'unknown',
    arch,
    cpuModel: textOf(cpu && findFirst(cpu, 'model')) || 'unknown',
    cpuVendor: textOf(cpu && findFirst(cpu, 'vendor')) || 'unknown',
    cpuFeatures: (cpu ? findAll(cpu, 'feature') : []).map((f) => f.attrs.name).filter((x): x is string => !!x).sort(),
    machineTypes: guest.machines,
    defaultMachineType: guest.canonical,
    kvmUsable,
    virtType: kvmUsable ? 'kvm' : 'qemu',
    tools: { qemuImg: tools.has('qemu-img'), genisoimage: tools.has('genisoimage'), xorriso: tools.has('xorriso') },
    networks: section(out, 'nets').split('\n').map((s) => s.trim()).filter(Boolean),
  };
}

export async function probeHost(remote: Remote, root: string): Promise<HostFacts> {
  const r = await remote.try(probeScript(root), { timeoutMs: 30_000 });
  if (!r.stdout.includes('==end')) throw new HostCommandError(remote.host, 'probe', r);
  const facts = parseProbe(r.stdout);
  facts.cpuInfo = { arch: facts.arch, model: facts.cpuModel, vendor: facts.cpuVendor, features: facts.cpuFeatures };
  return facts;
}

