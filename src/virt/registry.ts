/**
 * Driver registry: an explicit name → lazy factory map. Loading a driver is deferred until a
 * host of that kind is used, so the CLI does not pay for ssh2 when it only talks to fake hosts.
 */
import { NotSupportedError } from '../lib/errors';
import type { ComputeDriver, HostTarget } from './driver';

export interface DriverEnvironment {
  /** novalite's state directory, for drivers that keep files (the fake driver's host state). */
  statePath: string;
}

type Factory = (host: HostTarget, env: DriverEnvironment) => ComputeDriver;

const FACTORIES: Record<string, () => Factory> = {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  fake: () => (require('./fake') as typeof import('./fake')).createFakeDriver,
};

export function driverFor(type: string, host: HostTarget, env: DriverEnvironment): ComputeDriver {
  const make = FACTORIES[type];
  if (!make) throw new NotSupportedError(`Host ${host.name} uses driver ${JSON.stringify(type)}, which this novalite does not have.`, { hint: `Known drivers: ${Object.keys(FACTORIES).join(', ')}.` });
  return make()(host, env);
}

/** Checks a host's driver configuration up front (a typo in a fake knob is refused at `host add`). */
export function checkDriverConfig(type: string, host: HostTarget): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (type === 'fake') (require('./fake/knobs') as typeof import('./fake/knobs')).parseKnobs(host);
}

export function knownDrivers(): string[] {
  return Object.keys(FACTORIES);
}
