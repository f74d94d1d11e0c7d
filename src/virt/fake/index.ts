/**
 * The fake virt driver: a first-class in-memory (or file-backed) hypervisor host for tests,
 * demos and 10,000-host simulations. The registry loads this module lazily and calls
 * createFakeDriver; everything else here is for tests and simulations of the fake itself.
 */
import type { ComputeDriver, HostTarget } from '../driver';
import type { DriverEnvironment } from '../registry';
import { FakeDriver } from './fake-driver';
import { resetMemoryHosts } from './state';

export { FakeDriver, type FakeDriverOptions, type FakeMigrationToken } from './fake-driver';
export { FAKE_OPERATIONS, type FakeOperation, type FakeKnobs } from './knobs';
export { CONSOLE_MAX_LINES } from './console';
export type { FakeServer, HostState } from './state';

/** A driver for one fake host. Cheap (no I/O): the CLI may make one per operation. */
export function createFakeDriver(host: HostTarget, env: DriverEnvironment): ComputeDriver {
  return new FakeDriver(host, env);
}

/** Forgets every in-memory fake host of this process (between tests or simulation runs). */
export function resetFakeHosts(): void {
  resetMemoryHosts();
}
