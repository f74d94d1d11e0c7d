/**
 * An exclusive lock file shared by every novalite process on this machine (or on a shared
 * state directory): created with `wx`, so exactly one process holds it; waited for with a short
 * back-off; broken when it is older than the stale age, or at once when it names a process of
 * this machine that no longer exists (a CLI killed with SIGKILL). Within one process, callers
 * queue on a promise chain first, so parallel operations of one process do not poll the disk.
 *
 * The lock is only ever held for one read-modify-write of a small JSON file (milliseconds),
 * never across a simulated delay, so a live holder never gets near the stale age.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import { HostError } from '../../lib/errors';

export interface LockOptions {
  staleMs: number;
  timeoutMs: number;
  /** Names the lock in errors (the fake host). */
  label: string;
}

const queues = new Map<string, Promise<void>>();

/** Runs `fn` after every earlier call for the same key in this process has settled. */
async function inProcessQueue<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = queues.get(key) ?? Promise.resolve();
  const run = prev.then(fn);
  const tail = run.then(() => undefined, () => undefined);
  queues.set(key, tail);
  try {
    return await run;
  } finally {
    if (queues.get(key) === tail) queues.delete(key);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Holder { pid?: number; host?: string; token?: string }

function parseHolder(raw: string): Holder {
  try {
    const v = JSON.parse(raw) as Holder;
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {}; // being written right now, or not ours: judged by its age alone
  }
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Removes the lock at `path` when it is stale; true when the caller should try again at once.
 * The lock is first renamed aside and re-checked (same inode), so that two processes breaking
 * the same stale lock cannot remove a fresh lock the faster one has just taken.
 */
async function breakIfStale(path: string, staleMs: number): Promise<boolean> {
  let st;
  let raw: string;
  try {
    st = await fs.stat(path);
    raw = await fs.readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  }
  const h = parseHolder(raw);
  const dead = typeof h.pid === 'number' && h.host === os.hostname() && h.pid !== process.pid && processGone(h.pid);
  if (!dead && Date.now() - st.mtimeMs < staleMs) return false;
  const aside = `${path}.stale-${process.pid}-${randomUUID().slice(0, 8)}`;
  try {
    await fs.rename(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  }
  const moved = await fs.stat(aside);
  if (moved.ino !== st.ino) {
    // Someone broke it first and took a fresh lock, which we just moved: put it back if we can.
    await fs.link(aside, path).catch(() => undefined);
  }
  await fs.unlink(aside).catch(() => undefined);
  return true;
}

/** Holds the lock file at `path` while `fn` runs. */
export function withFileLock<T>(path: string, opts: LockOptions, fn: () => Promise<T>): Promise<T> {
  return inProcessQueue(path, async () => {
    const body = JSON.stringify({ pid: process.pid, host: os.hostname(), token: randomUUID(), at: new Date().toISOString() });
    const deadline = Date.now() + opts.timeoutMs;
    let pause = 1;
    for (;;) {
      try {
        await fs.writeFile(path, body, { flag: 'wx' });
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      if (await breakIfStale(path, opts.staleMs)) continue;
      if (Date.now() >= deadline) {
        throw new HostError(`Fake host ${opts.label} is busy: its lock ${path} was held for longer than ${opts.timeoutMs / 1000} s.`, {
          code: 'FAKE_HOST_LOCKED',
          hint: 'Another novalite process is acting on this host; try again. A lock left by a dead process is broken once it is stale.',
        });
      }
      await sleep(pause + Math.random() * pause);
      pause = Math.min(pause * 2, 50);
    }
    try {
      return await fn();
    } finally {
      await fs.unlink(path).catch(() => undefined);
    }
  });
}
