/**
 * Driver registry: an explicit name → lazy factory map. Loading a driver is deferred until a
 * host of that kind is used, so the CLI does not pay for ssh2 when it only talks to fake hosts.
 */
import { NotSupportedError } from '../lib/errors';
import type { ComputeDriver, HostProbeRequest, HostProbeResult, HostTarget } from './driver';

export interface DriverEnvironment {
  /** novalite's state directory, for drivers that keep files (the fake driver's host state). */
  statePath: string;
}

type Factory = (host: HostTarget, env: DriverEnvironment) => ComputeDriver;

const FACTORIES: Record<string, () => Factory> = {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  fake: () => (require('./fake') as typeof import('./fake')).createFakeDriver,
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  libvirt: () => (require('./libvirt') as typeof import('./libvirt')).createLibvirtDriver,
};

/** Drivers whose hosts are reached over SSH and probed at `host add`. */
const PROBES: Record<string, () => (req: HostProbeRequest) => Promise<HostProbeResult>> = {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  libvirt: () => (require('./libvirt') as typeof import('./libvirt')).probeNewHost,
};

export function probeNewHost(type: string, req: HostProbeRequest): Promise<HostProbeResult> {
  const p = PROBES[type];
  if (!p) throw new NotSupportedError(`Driver ${JSON.stringify(type)} has no hosts to probe.`, { hint: `Drivers reached over SSH: ${Object.keys(PROBES).join(', ')}.` });
  return p()(req);
}

/** Closes pooled connections (SSH) so a CLI process can exit at once; a no-op when none were opened. */
export async function closeDriverConnections(): Promise<void> {
  const mod = require.cache[require.resolve('./libvirt')];
  if (mod) await (mod.exports as typeof import('./libvirt')).closeAllTransports();
}

export function driverFor(type: string, host: HostTarget, env: DriverEnvironment): ComputeDriver {
  const make = FACTORIES[type];
  if (!make) throw new NotSupportedError(`Host ${host.name} uses driver ${JSON.stringify(type)}, which this novalite does not have.`, { hint: `Known drivers: ${Object.keys(FACTORIES).join(', ')}.` });
  return make()(host, env);
}

/** Checks a host's driver configuration up front (a typo in a fake knob is refused at `host add`). */
export function checkDriverConfig(type: string, host: HostTarget): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (type === 'fake') (require('./fake/knobs') as typeof import('./fake/knobs')).parseKnobs(host);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (type === 'libvirt') (require('./libvirt') as typeof import('./libvirt')).checkLibvirtConfig(host);
}

export function knownDrivers(): string[] {
  return Object.keys(FACTORIES);
}
