/** Shared fixtures for the fake driver's tests: servers, hosts, and a driver per state mode. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { HostTarget, InstanceSpec } from '../../../../src/virt/driver';
import { FakeDriver, type FakeDriverOptions } from '../../../../src/virt/fake';

export function inst(over: Partial<InstanceSpec> = {}): InstanceSpec {
  const uuid = over.uuid ?? randomUUID();
  return {
    uuid, name: `vm-${uuid.slice(0, 8)}`, hostname: `vm-${uuid.slice(0, 8)}`, projectId: 'p1', userId: 'u1',
    flavor: { name: 'm1.small', vcpus: 2, memoryMb: 2048, rootGb: 20, ephemeralGb: 0, swapMb: 0, extraSpecs: {} },
    image: { id: 'img-cirros', name: 'cirros', checksum: null, size: 1, diskFormat: 'qcow2', properties: {}, path: null },
    userData: null, keyData: null, metadata: {}, configDrive: false, network: 'none',
    ...over,
  };
}

export const BIGGER = { name: 'm1.large', vcpus: 4, memoryMb: 8192, rootGb: 80, ephemeralGb: 0, swapMb: 0, extraSpecs: {} };

let n = 0;
/** A host name no other test uses, so in-memory state never leaks between tests. */
export function hostName(prefix = 'fake'): string {
  n += 1;
  return `${prefix}-${process.pid}-${n}-${randomUUID().slice(0, 6)}`;
}

export function host(name: string, driverConfig: Record<string, unknown> = {}): HostTarget {
  return { name, address: null, driverConfig };
}

/** A temporary state directory, removed by `done()`. */
export function stateDir(): { path: string; done: () => void } {
  const p = mkdtempSync(path.join(tmpdir(), 'novalite-fake-'));
  return { path: p, done: () => rmSync(p, { recursive: true, force: true }) };
}

export type Mode = 'memory' | 'file';
export const MODES: Mode[] = ['memory', 'file'];

/** Makes drivers for one mode: `make(name, config)`; file mode shares one state dir per `Drivers`. */
export class Drivers {
  private dir: { path: string; done: () => void } | null;
  constructor(readonly mode: Mode) {
    this.dir = mode === 'file' ? stateDir() : null;
  }
  get statePath(): string {
    return this.dir?.path ?? '';
  }
  make(name: string, driverConfig: Record<string, unknown> = {}, opts: FakeDriverOptions = {}): FakeDriver {
    return new FakeDriver(host(name, driverConfig), { statePath: this.statePath }, opts);
  }
  done(): void {
    this.dir?.done();
  }
}

/** The rejection of `p` (fails the test when `p` resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error & { code?: string; category?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a rejection, but the promise resolved');
}
