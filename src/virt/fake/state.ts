/**
 * Where a fake host keeps what it knows about its servers. Two stores with one contract:
 * - memory: a module-level Map keyed by host name; operations cost microseconds, and two fake
 *   hosts of one process (a migration, a 10,000-host simulation) see each other's state;
 * - files: `<statePath>/fake-hosts/<host>.json`, one read and one atomic write (temp file +
 *   rename) per change, under `<host>.lock`, so that many short-lived CLI processes acting on
 *   the same host never lose an update.
 * `update` runs its callback on the host's state and persists it; a callback that throws
 * changes nothing (callbacks check everything before they mutate, because the memory store
 * hands them the live object).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { HostError } from '../../lib/errors';
import type { PowerState } from '../../lib/model/states';
import { withFileLock } from './lock';

export interface FakeFlavor { name: string; vcpus: number; memoryMb: number; rootGb: number; ephemeralGb: number; swapMb: number }

/** One server as a fake host knows it (a libvirt domain plus its instance directory). */
export interface FakeServer {
  uuid: string;
  name: string;
  hostname: string;
  powerState: PowerState;
  flavor: FakeFlavor;
  imageId: string | null;
  createdAt: string;
  updatedAt: string;
  /** Serial console, oldest first, at most CONSOLE_MAX_LINES. */
  console: string[];
  rescued: boolean;
  rescueImageId: string | null;
  /** A managed-save image exists (suspend); resume restores it. */
  managedSave: boolean;
  /** Set while a slow spawn is under way (the domain is defined, not yet started): that spawn's id. */
  spawning: string | null;
  /** CPU time of the current qemu process before `runningSince`. */
  cpuTimeNs: number;
  /** Epoch ms since when the guest has been running uninterrupted; null when not running. */
  runningSince: number | null;
  /** Outgoing cold migration: disks copied to `destHost`, waiting for finish and cleanup. */
  migration: { id: string; destHost: string; startedAt: string } | null;
  /** Where the server came from (cold or live migration), and the migration that brought it. */
  migratedFrom: { host: string; migrationId: string | null } | null;
  /** Same-host resize: what the server was before, until cleanup (confirm) or revert. */
  resizeLeftover: { flavor: FakeFlavor; imageId: string | null } | null;
}

export interface HostState {
  version: 1;
  host: string;
  instances: Record<string, FakeServer>;
}

/** The server `uuid` of a host state, if any (own keys only: a uuid is user input). */
export function serverOf(s: HostState, uuid: string): FakeServer | undefined {
  return Object.prototype.hasOwnProperty.call(s.instances, uuid) ? s.instances[uuid] : undefined;
}

export interface HostStore {
  /** A consistent view of `host` (no lock: files are replaced atomically). */
  read<T>(host: string, fn: (s: HostState) => T): Promise<T>;
  /** Read-modify-write of `host` under its lock. */
  update<T>(host: string, fn: (s: HostState) => T): Promise<T>;
}

const emptyState = (host: string): HostState => ({ version: 1, host, instances: {} });

const memory = new Map<string, HostState>();

/** Forgets every in-memory fake host (tests, simulations that start over). */
export function resetMemoryHosts(): void {
  memory.clear();
}

function memoryState(host: string): HostState {
  let s = memory.get(host);
  if (!s) {
    s = emptyState(host);
    memory.set(host, s);
  }
  return s;
}

export const memoryStore: HostStore = {
  read: async (host, fn) => fn(memoryState(host)),
  update: async (host, fn) => fn(memoryState(host)),
};

/** Host names come from a validated column, but a file name must never climb out of its folder. */
function fileSafe(host: string): string {
  return /^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(host) ? host : encodeURIComponent(host).replace(/^\./, '%2E');
}

let tmpCounter = 0;

export class FileStore implements HostStore {
  private readonly dir: string;
  private dirReady = false;

  constructor(statePath: string, private readonly lock: { staleMs: number; timeoutMs: number }) {
    this.dir = path.resolve(statePath, 'fake-hosts');
  }

  statePathOf(host: string): string {
    return path.join(this.dir, `${fileSafe(host)}.json`);
  }

  lockPathOf(host: string): string {
    return path.join(this.dir, `${fileSafe(host)}.lock`);
  }

  async read<T>(host: string, fn: (s: HostState) => T): Promise<T> {
    return fn(await this.load(host));
  }

  async update<T>(host: string, fn: (s: HostState) => T): Promise<T> {
    await this.ensureDir();
    return withFileLock(this.lockPathOf(host), { ...this.lock, label: host }, async () => {
      const s = await this.load(host);
      const out = fn(s);
      await this.save(host, s);
      return out;
    });
  }

  private async ensureDir(): Promise<void> {
    if (this.dirReady) return;
    await fs.mkdir(this.dir, { recursive: true });
    this.dirReady = true;
  }

  private async load(host: string): Promise<HostState> {
    const file = this.statePathOf(host);
    let raw: string;
    try {
      raw = await fs.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyState(host);
      throw new HostError(`Cannot read the state of fake host ${host} (${file}): ${(e as Error).message}`, { code: 'FAKE_STATE_UNREADABLE', cause: e });
    }
    let v: HostState;
    try {
      v = JSON.parse(raw) as HostState;
    } catch (e) {
      throw new HostError(`The state file of fake host ${host} (${file}) is not valid JSON.`, {
        code: 'FAKE_STATE_UNREADABLE', cause: e, hint: 'It is written atomically, so someone edited it: fix it, or remove it to empty the host.',
      });
    }
    if (!v || v.version !== 1 || typeof v.instances !== 'object' || v.instances === null) {
      throw new HostError(`The state file of fake host ${host} (${file}) has an unknown layout.`, { code: 'FAKE_STATE_UNREADABLE' });
    }
    return v;
  }

  private async save(host: string, s: HostState): Promise<void> {
    const file = this.statePathOf(host);
    const tmp = `${file}.${process.pid}.${++tmpCounter}.tmp`;
    try {
      // No fsync: rename is atomic against a killed process, which is what a fake host must
      // survive; surviving a power cut is not worth a disk flush per simulated operation.
      await fs.writeFile(tmp, JSON.stringify(s));
      await fs.rename(tmp, file);
    } catch (e) {
      await fs.unlink(tmp).catch(() => undefined);
      throw new HostError(`Cannot write the state of fake host ${host} (${file}): ${(e as Error).message}`, { code: 'FAKE_STATE_UNWRITABLE', cause: e });
    }
  }
}
