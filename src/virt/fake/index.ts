/** Placeholder: the fake driver is being written. */
import { NotSupportedError } from '../../lib/errors';
import type { ComputeDriver, HostTarget } from '../driver';
import type { DriverEnvironment } from '../registry';

export function createFakeDriver(host: HostTarget, _env: DriverEnvironment): ComputeDriver {
  throw new NotSupportedError(`The fake driver for ${host.name} is not available yet.`);
}
