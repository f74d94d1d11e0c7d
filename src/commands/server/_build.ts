/**
 * `server create` progress and deadline. The CLI runs the build inline, so the steps the core
 * reports (quota → scheduling → spawning) drive listr2 on a terminal, and `--wait --timeout`
 * has to bound the create itself, not only the wait after it.
 */
import type { Context } from '../../lib/context';
import type { Server } from '../../lib/model/servers';
import type { Step } from '../_progress';

export const BUILD_STEPS = [
  { key: 'quota', title: 'Checking quota' }, { key: 'scheduling', title: 'Scheduling and claiming a host' },
  { key: 'spawning', title: 'Spawning' }, { key: 'active', title: 'Active' },
] as const;

interface Gate { promise: Promise<string | void>; resolve: (note?: string) => void; reject: (e: unknown) => void }

function gate(): Gate {
  let resolve!: Gate['resolve'];
  let reject!: Gate['reject'];
  const promise = new Promise<string | void>((res, rej) => { resolve = res; reject = rej; });
  promise.catch(() => undefined); // a step after the failing one is never awaited
  return { promise, resolve, reject };
}

/** Turns step callbacks into listr2 steps: each step ends when the next one begins. */
export class BuildProgress {
  private readonly gates = BUILD_STEPS.map(() => gate());
  private at = 0;
  /** The step running now (what a timeout reports). */
  get current(): string { return BUILD_STEPS[Math.min(this.at, BUILD_STEPS.length - 1)].key; }

  readonly onStep = (step: string): void => {
    const i = BUILD_STEPS.findIndex((s) => s.key === step);
    for (; this.at < i; this.at++) this.gates[this.at].resolve();
  };

  done(note: string): void {
    this.onStep('active');
    this.gates[this.gates.length - 1].resolve(note);
  }

  fail(e: unknown): void {
    for (const g of this.gates.slice(this.at)) g.reject(e);
  }

  steps(): Step[] {
    return BUILD_STEPS.map((s, i) => ({ title: s.title, run: () => this.gates[i].promise }));
  }
}

/** Settles with `work`, or rejects with `onTimeout()` after `seconds` (work keeps running). */
export function withDeadline<T>(work: Promise<T>, seconds: number | null, onTimeout: () => Promise<Error>): Promise<T> {
  if (seconds === null) return work;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => { onTimeout().then(reject, reject); }, seconds * 1000);
    work.then((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

/** Image id → name, for human output (names the project cannot see stay ids). */
export async function imageNames(ctx: Context, projectId: string, servers: Server[]): Promise<Map<string, string>> {
  if (!servers.some((s) => s.imageRef)) return new Map();
  return new Map((await ctx.images.list({ projectId })).filter((i) => i.name).map((i) => [i.id, i.name!]));
}

/** `--wait` after the inline build: each server must be ACTIVE by the deadline (ERROR is exit 5/6). */
export async function waitActive(ctx: Context, servers: Server[], projectId: string, deadline: number): Promise<Server[]> {
  const out: Server[] = [];
  for (const s of servers) out.push((await ctx.serverActions.wait(s.uuid, projectId, ['ACTIVE'], Math.max(0.001, (deadline - Date.now()) / 1000)))!);
  return out;
}
