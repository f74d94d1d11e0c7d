/**
 * Running the API: N worker processes (node:cluster) share the port, each with its own Context
 * and database pools; worker 1 also runs the periodic jobs (agentless host heartbeat, durable
 * task recovery). SIGTERM or SIGINT closes listeners, lets requests finish, then exits.
 */
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { Context } from '../context';
import { InvalidInputError } from '../errors';
import { buildApp } from './app';
import type { AuthMode } from './auth';

export type { AuthMode };

export interface ServeOptions {
  host: string; port: number; workers: number; auth: AuthMode;
  tlsCert?: string; tlsKey?: string; policyOverrides?: Record<string, string>;
  /** Allow --auth none on a non-loopback address. */
  insecure?: boolean;
  heartbeatSeconds?: number;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

export function checkServeOptions(o: ServeOptions): void {
  if (o.auth === 'none' && !isLoopback(o.host) && !o.insecure) {
    throw new InvalidInputError(`--auth none lets anyone act as admin; it is allowed on loopback only, not on ${o.host}.`, { hint: 'Use --auth keystone, or add --insecure-no-auth if you really mean it.' });
  }
  if (!!o.tlsCert !== !!o.tlsKey) throw new InvalidInputError('--tls-cert and --tls-key go together.');
  if (!Number.isInteger(o.workers) || o.workers < 1 || o.workers > 64) throw new InvalidInputError('--workers must be between 1 and 64.');
}

function readFile(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new InvalidInputError(`Cannot read ${flag} ${JSON.stringify(path)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
}

/** One server in this process; resolves with its address once listening, and a stop function. */
export async function startServer(ctx: Context, o: ServeOptions, opts: { periodic?: boolean } = {}): Promise<{ address: string; stop: () => Promise<void> }> {
  const https = o.tlsCert && o.tlsKey ? { cert: readFile('--tls-cert', o.tlsCert), key: readFile('--tls-key', o.tlsKey) } : undefined;
  const { app } = await buildApp({ ctx, auth: o.auth, policyOverrides: o.policyOverrides, https });
  const address = await app.listen({ host: o.host, port: o.port });
  const timers: NodeJS.Timeout[] = [];
  if (opts.periodic) {
    const every = (s: number, fn: () => Promise<unknown>) => {
      let running = false;
      timers.push(setInterval(() => {
        if (running) return;
        running = true;
        fn().catch(() => undefined).finally(() => { running = false; });
      }, s * 1000).unref());
    };
    every(o.heartbeatSeconds ?? 10, () => ctx.hostChecks.heartbeat());
    every(60, () => ctx.doctor.syncPowerStates());
    every(10, () => ctx.recoverTasks());
  }
  return {
    address,
    stop: async () => {
      for (const t of timers) clearInterval(t);
      await app.close();
    },
  };
}

export { cluster };

/** For `novalite policy check` and `serve --policy-file` (commands reach lib/api only through this module). */
export { readPolicyFile } from './policy-file';
export { effectivePolicy, type PolicyRuleReport } from './policy-check';
