/**
 * Hosts reached over SSH (the libvirt driver): registering one means connecting, pinning its
 * host key (only as the admin allows: a fingerprint they checked, or --accept-new-host-key),
 * probing what it is and recording that; re-pinning after a reinstall goes the same way.
 */
import { accessSync, constants } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InvalidInputError, NotFoundError, NotSupportedError } from '../errors';
import type { HostProbeRequest, HostProbeResult } from '../../virt/driver';
import type { HostInfo, HostsService } from './hosts';
import { checkHostName, checkInt, checkRatio } from './validate';

export type HostProber = (driver: string, req: HostProbeRequest) => Promise<HostProbeResult>;

export interface SshHostAdd {
  name: string; driver: string; address: string; port?: number; user?: string; keyPath: string;
  fingerprint?: string; acceptNewHostKey?: boolean;
  az?: string; cell?: string; root?: string; network?: string; bridge?: string; migrationAddress?: string;
  machineType?: string; cpuMode?: string; shutdownTimeoutSeconds?: number;
  vcpus?: number; memoryMb?: number; diskGb?: number;
  cpuAllocationRatio?: number; ramAllocationRatio?: number; diskAllocationRatio?: number;
}

const CPU_MODES = ['host-model', 'host-passthrough', 'none'];
const PATH_RE = /^\/[A-Za-z0-9._/-]*$/;
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

function checkKey(path: string): string {
  const abs = isAbsolute(path) ? path : resolve(path);
  try {
    accessSync(abs, constants.R_OK);
  } catch {
    throw new InvalidInputError(`Cannot read the SSH private key ${abs}.`, { code: 'SSH_KEY_UNREADABLE', hint: 'Pass --key with the path of a private key this user can read.' });
  }
  return abs;
}

function checkAddress(flag: string, v: string): string {
  if (!/^[A-Za-z0-9.:-]{1,253}$/.test(v) || v.startsWith('-')) throw new InvalidInputError(`${flag} ${JSON.stringify(v)} is not a host name or IP address.`);
  return v;
}

export class SshHostsService {
  constructor(private readonly hosts: HostsService, private readonly probe: HostProber) {}

  async add(a: SshHostAdd): Promise<{ host: HostInfo; probe: HostProbeResult }> {
    const name = checkHostName(a.name);
    if (a.driver !== 'libvirt') throw new NotSupportedError(`Driver ${JSON.stringify(a.driver)} does not reach hosts over SSH.`, { hint: 'Use --driver libvirt with --address.' });
    const address = checkAddress('--address', a.address);
    const port = checkInt('--port', a.port ?? 22, 1, 65535);
    const user = a.user ?? 'root';
    if (!/^[a-z_][a-z0-9_.-]{0,31}$/i.test(user)) throw new InvalidInputError(`--user ${JSON.stringify(user)} is not a valid user name.`);
    const root = a.root ?? '/var/lib/novalite';
    if (!PATH_RE.test(root) || root.split('/').includes('..') || root === '/') throw new InvalidInputError(`--instances-path ${JSON.stringify(root)} must be an absolute path of letters, digits, ".", "_", "-" and "/".`);
    for (const [flag, v] of [['--network', a.network], ['--bridge', a.bridge], ['--machine-type', a.machineType]] as const) {
      if (v !== undefined && !NAME_RE.test(v)) throw new InvalidInputError(`${flag} ${JSON.stringify(v)} is not a valid name.`);
    }
    if (a.network && a.bridge) throw new InvalidInputError('Give --network or --bridge, not both.');
    if (a.cpuMode !== undefined && !CPU_MODES.includes(a.cpuMode)) throw new InvalidInputError(`--cpu-mode must be one of ${CPU_MODES.join(', ')}.`);
    const migrationAddress = a.migrationAddress ? checkAddress('--migration-address', a.migrationAddress) : address;
    // Everything the admin typed is checked before the probe: a typo must not cost an SSH connection.
    const vcpus = a.vcpus !== undefined ? checkInt('--vcpus', a.vcpus, 1, 1_000_000) : undefined;
    const memoryMb = a.memoryMb !== undefined ? checkInt('--memory-mb', a.memoryMb, 1, 1_000_000_000) : undefined;
    const diskGb = a.diskGb !== undefined ? checkInt('--disk-gb', a.diskGb, 0, 1_000_000_000) : undefined;
    checkRatio('--cpu-allocation-ratio', a.cpuAllocationRatio);
    checkRatio('--ram-allocation-ratio', a.ramAllocationRatio);
    checkRatio('--disk-allocation-ratio', a.diskAllocationRatio);
    const shutdownTimeoutSeconds = a.shutdownTimeoutSeconds !== undefined ? checkInt('--shutdown-timeout', a.shutdownTimeoutSeconds, 0, 86_400) : 60;
    const keyPath = checkKey(a.keyPath);
    await this.hosts.checkFree(name, a.cell);
    const p = await this.probe('libvirt', { name, address, port, user, keyPath, fingerprint: a.fingerprint, acceptNewHostKey: !!a.acceptNewHostKey, root });
    if (a.network && !p.networks.includes(a.network)) {
      throw new InvalidInputError(`Host ${name} has no libvirt network ${JSON.stringify(a.network)}.`, { hint: `Networks there: ${p.networks.join(', ') || 'none'}. Define it with virsh net-define, or use --bridge.` });
    }
    const network = a.bridge ? null : a.network ?? (p.networks.includes('default') ? 'default' : null);
    const driverConfig = {
      ssh: { host: address, port, user, keyPath, hostKey: p.hostKey },
      root, virtType: p.virtType, arch: p.arch, machineType: a.machineType ?? null, cpuMode: a.cpuMode ?? 'host-model',
      network, bridge: a.bridge ?? null, migrationAddress, isoTool: p.isoTool,
      shutdownTimeoutSeconds,
    };
    const host = await this.hosts.register({
      name, driver: 'libvirt', az: a.az, cell: a.cell,
      vcpus: vcpus ?? p.resources.vcpus, memoryMb: memoryMb ?? p.resources.memoryMb, diskGb: diskGb ?? p.resources.localGb,
      cpuAllocationRatio: a.cpuAllocationRatio, ramAllocationRatio: a.ramAllocationRatio, diskAllocationRatio: a.diskAllocationRatio,
      hostIp: /^[0-9.]+$|:/.test(address) ? address : undefined,
      hypervisorType: p.resources.hypervisorType, hypervisorVersion: p.resources.hypervisorVersion, cpuInfo: p.resources.cpuInfo,
      driverConfig,
    });
    return { host, probe: p };
  }

  /** Pins the host's current key after a reinstall (checked against --host-key-fingerprint, or accepted). */
  async repin(name: string, opts: { fingerprint?: string; acceptNewHostKey?: boolean }): Promise<{ host: HostInfo; previous: string | null; current: string }> {
    const h = await this.hosts.find(name);
    if (!h) throw new NotFoundError('Host', name, { hint: 'Run `novalite host list`.' });
    if (h.driver !== 'libvirt') throw new NotSupportedError(`Host ${name} uses driver ${h.driver}, which has no host key.`);
    const dc = h.driverConfig as Record<string, any>;
    const ssh = dc.ssh ?? {};
    const p = await this.probe('libvirt', {
      name, address: ssh.host, port: ssh.port, user: ssh.user, keyPath: ssh.keyPath,
      fingerprint: opts.fingerprint, acceptNewHostKey: !!opts.acceptNewHostKey, root: dc.root,
    });
    const previous = ssh.hostKey?.fingerprint ?? null;
    const host = await this.hosts.updateDriver(name, { driverConfig: { ...dc, ssh: { ...ssh, hostKey: p.hostKey } } });
    await this.hosts.recordContact(name, true, null);
    return { host, previous, current: p.hostKey.fingerprint };
  }
}
