/**
 * The libvirt driver as the registry loads it: a driver per host over the process-wide SSH
 * connection pool, the configuration check run at `host add`, and the first-contact probe
 * that pins a new host's key and learns what it is.
 */
import { InvalidInputError } from '../../lib/errors';
import type { ComputeDriver, HostProbeRequest, HostProbeResult, HostTarget } from '../driver';
import type { DriverEnvironment } from '../registry';
import { LibvirtDriver } from './driver';
import { parseHostConfig, DEFAULT_ROOT } from './host-config';
import { HostPaths } from './paths';
import { probeHost } from './probe';
import { Remote } from './remote';
import { closeAllTransports, normalizeFingerprint, transportFor, HostKeyChangedError } from './ssh';

export { LibvirtDriver } from './driver';
export { closeAllTransports };

export function createLibvirtDriver(host: HostTarget, _env: DriverEnvironment): ComputeDriver {
  return new LibvirtDriver(host, (cfg) => transportFor(cfg.ssh));
}

export function checkLibvirtConfig(host: HostTarget): void {
  const cfg = parseHostConfig(host);
  new HostPaths(cfg.root);
}

/**
 * First contact: connect accepting the offered key only as the request allows (an expected
 * fingerprint that differs is refused like a changed key), then probe.
 */
export async function probeNewHost(req: HostProbeRequest): Promise<HostProbeResult> {
  const expected = req.fingerprint ? normalizeFingerprint(req.fingerprint) : null;
  if (!expected && !req.acceptNewHostKey) {
    throw new InvalidInputError(`Host ${req.name}: pass --host-key-fingerprint SHA256:… (from \`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` on the host) or --accept-new-host-key.`, { code: 'HOST_KEY_UNKNOWN' });
  }
  const endpoint = { host: req.address, port: req.port, user: req.user, keyPath: req.keyPath, hostKey: null };
  const t = transportFor(endpoint, { acceptNewHostKey: true });
  try {
    const root = req.root ?? DEFAULT_ROOT;
    const remote = new Remote(req.name, t);
    await remote.try('true', { timeoutMs: 20_000 });
    const key = t.offeredHostKey;
    if (!key) throw new InvalidInputError(`Host ${req.name} did not present a host key.`);
    if (expected && key.fingerprint !== expected) throw new HostKeyChangedError(req.name, expected, key.fingerprint);
    const f = await probeHost(remote, root);
    return {
      hostKey: key,
      resources: { vcpus: f.vcpus, memoryMb: f.memoryMb, localGb: f.localGb, hypervisorType: f.hypervisorType, hypervisorVersion: f.hypervisorVersion, cpuInfo: f.cpuInfo },
      hostname: f.hostname, virtType: f.virtType, kvmUsable: f.kvmUsable, arch: f.arch, machineTypes: f.machineTypes, networks: f.networks,
      isoTool: f.tools.genisoimage ? 'genisoimage' : f.tools.xorriso ? 'xorriso' : null, libvirtVersion: f.libvirtVersion, freeDiskGb: f.freeDiskGb,
    };
  } finally {
    t.close();
  }
}
