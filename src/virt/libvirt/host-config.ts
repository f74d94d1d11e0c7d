/**
 * A libvirt host's configuration as `host add` stores it in the compute node's driver_config:
 * how to reach it (SSH endpoint and pinned host key) and what the probe found out (virt type,
 * machine type, tools). Parsed once per driver object; a malformed record is a ConfigError that
 * names the host, never a crash deep in an operation.
 */
import { ConfigError } from '../../lib/errors';
import type { HostTarget } from '../driver';
import type { PinnedHostKey, SshEndpoint } from './ssh/transport';

export interface LibvirtHostConfig {
  ssh: SshEndpoint;
  /** Root of everything novalite keeps on the host: instances/, _base/. */
  root: string;
  virtType: 'qemu' | 'kvm';
  arch: string;
  machineType: string | null;
  cpuMode: 'host-model' | 'host-passthrough' | 'none';
  /** libvirt network for NICs (`--network default`), or a Linux bridge. */
  network: string | null;
  bridge: string | null;
  /** Address other hosts reach this one on for live migration traffic. */
  migrationAddress: string;
  isoTool: 'genisoimage' | 'xorriso' | null;
  /** Seconds a soft reboot or a clean shutdown may take before it is done the hard way. */
  shutdownTimeoutSeconds: number;
}

export const DEFAULT_ROOT = '/var/lib/novalite';

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function hostKey(host: string, v: unknown): PinnedHostKey | null {
  if (v === null || v === undefined) return null;
  const k = v as Record<string, unknown>;
  if (typeof k.type !== 'string' || typeof k.base64 !== 'string' || typeof k.fingerprint !== 'string') {
    throw new ConfigError(`Host ${host}: its pinned host key record is malformed.`, { hint: `Re-pin it: novalite host repin ${host} --accept-new-host-key` });
  }
  return { type: k.type, base64: k.base64, fingerprint: k.fingerprint };
}

export function parseHostConfig(target: HostTarget): LibvirtHostConfig {
  const c = target.driverConfig;
  const s = (c.ssh ?? {}) as Record<string, unknown>;
  const address = str(s.host) ?? target.address;
  const keyPath = str(s.keyPath);
  if (!address || !keyPath) {
    throw new ConfigError(`Host ${target.name} has no SSH address or key recorded.`, { hint: `Remove it and add it again with --address and --key.` });
  }
  const port = Number(s.port ?? 22);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigError(`Host ${target.name}: SSH port ${String(s.port)} is not valid.`);
  const virtType = c.virtType === 'kvm' ? 'kvm' : 'qemu';
  const cpuMode = c.cpuMode === 'host-passthrough' || c.cpuMode === 'none' ? c.cpuMode : 'host-model';
  const iso = c.isoTool === 'genisoimage' || c.isoTool === 'xorriso' ? c.isoTool : null;
  const timeout = Number(c.shutdownTimeoutSeconds ?? 60);
  return {
    ssh: { host: address, port, user: str(s.user) ?? 'root', keyPath, hostKey: hostKey(target.name, s.hostKey) },
    root: str(c.root) ?? DEFAULT_ROOT,
    virtType, arch: str(c.arch) ?? 'x86_64', machineType: str(c.machineType), cpuMode,
    network: str(c.network), bridge: str(c.bridge),
    migrationAddress: str(c.migrationAddress) ?? address,
    isoTool: iso,
    shutdownTimeoutSeconds: Number.isFinite(timeout) && timeout >= 0 ? timeout : 60,
  };
}
