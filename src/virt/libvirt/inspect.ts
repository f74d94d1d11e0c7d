/**
 * Questions about a host that no lifecycle operation asks: the XML the driver would push next
 * to what the host runs, a server's addresses, whether the host has what the driver needs, and
 * cleaning its image cache. Used by `server xml`, `server show`, `host verify` and `doctor`.
 */
import type { GuestAddress as Address, InstanceSpec, VerifyCheck } from '../driver';
import type { LibvirtDriver } from './driver';
import { canonicalDomainXml, diffLines } from './domain';
import { pruneBases } from './image-cache';
import { domainName } from './paths';
import { VIRSH } from './remote';
import { sh, shq } from './ssh/quote';


/** Both documents canonical, and a line diff (3 lines of context) that is empty when they agree. */
export async function domainXmls(d: LibvirtDriver, inst: InstanceSpec): Promise<{ generated: string; live: string | null; diff: string[] }> {
  const ours = d.renderXml(inst);
  const generated = canonicalDomainXml(ours);
  const r = await d.remote.try(sh(...VIRSH, 'dumpxml', '--inactive', domainName(inst.uuid)));
  const live = r.code === 0 ? canonicalDomainXml(r.stdout, ours) : null;
  return { generated, live, diff: live === null ? [] : diffLines(generated, live, 3) };
}

/** `virsh domifaddr` (DHCP leases of a libvirt network): "vnet0  52:54:00:…  ipv4  192.168.122.5/24". */
export function parseDomifaddr(out: string): Address[] {
  const rows: Address[] = [];
  let current = '';
  for (const line of out.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols.length === 4 && /^ipv[46]$/.test(cols[2])) {
      current = cols[0] === '-' ? current : cols[0];
      const [address, prefix] = cols[3].split('/');
      rows.push({ interface: current, mac: cols[1], address, prefix: Number(prefix), version: cols[2] === 'ipv6' ? 6 : 4 });
    } else if (cols.length === 3 && cols[0] === '-' && /^ipv[46]$/.test(cols[1])) {
      const [address, prefix] = cols[2].split('/');
      rows.push({ interface: current, mac: rows[rows.length - 1]?.mac ?? '', address, prefix: Number(prefix), version: cols[1] === 'ipv6' ? 6 : 4 });
    }
  }
  return rows;
}

export async function addresses(d: LibvirtDriver, inst: InstanceSpec): Promise<Address[]> {
  const r = await d.remote.try(sh(...VIRSH, 'domifaddr', domainName(inst.uuid)), { timeoutMs: 10_000 });
  return r.code === 0 ? parseDomifaddr(r.stdout) : [];
}

export async function verify(d: LibvirtDriver): Promise<VerifyCheck[]> {
  const checks: VerifyCheck[] = [];
  const t0 = Date.now();
  let r;
  try {
    r = await d.remote.try('echo ok', { timeoutMs: 15_000 });
    checks.push({ check: 'ssh', ok: r.code === 0, detail: `${d.cfg.ssh.user}@${d.cfg.ssh.host}:${d.cfg.ssh.port}, host key ${d.cfg.ssh.hostKey?.fingerprint ?? 'not pinned'}, ${Date.now() - t0} ms` });
  } catch (e) {
    checks.push({ check: 'ssh', ok: false, detail: (e as Error).message });
    return checks;
  }
  const probe = async (check: string, cmd: string, detail: (out: string) => string) => {
    const x = await d.remote.try(cmd, { timeoutMs: 20_000 });
    checks.push({ check, ok: x.code === 0, detail: x.code === 0 ? detail(x.stdout.trim()) : (x.stderr.trim().split('\n').pop() ?? `exit ${x.code}`) });
  };
  await probe('libvirt', sh(...VIRSH, 'version', '--daemon'), (o) => o.split('\n').filter((l) => /daemon|hypervisor/i.test(l)).join('; '));
  await probe('qemu-img', 'qemu-img --version | head -n 1', (o) => o);
  await probe('iso tool', 'command -v genisoimage || command -v xorriso', (o) => o);
  await probe('root directory', `mkdir -p ${shq(d.cfg.root)} && test -w ${shq(d.cfg.root)} && df -Ph ${shq(d.cfg.root)} | tail -n 1`, (o) => `${d.cfg.root}: ${o.split(/\s+/)[3] ?? '?'} free`);
  if (d.cfg.network) await probe('network', sh(...VIRSH, 'net-info', d.cfg.network), (o) => `${d.cfg.network}: ${/Active:\s*(\S+)/.exec(o)?.[1] === 'yes' ? 'active' : 'defined'}`);
  await probe('virt type', `[ ${shq(d.cfg.virtType)} = qemu ] || [ -c /dev/kvm ]`, () => d.cfg.virtType === 'kvm' ? 'kvm (/dev/kvm present)' : 'qemu (TCG, software emulation)');
  return checks;
}

export function pruneImages(d: LibvirtDriver, minAgeSeconds: number): Promise<string[]> {
  return pruneBases(d.remote, d.paths, minAgeSeconds);
}
