/**
 * Looking at hosts rather than servers: `host verify` (can novalite work there?), the heartbeat
 * that marks agentless hosts up or down (serve runs it periodically; `host probe` on demand),
 * and cleaning a host's image cache. Fake hosts answer from memory.
 */
import { isNovaliteError } from '../errors';
import type { Compute } from '../compute/compute';
import type { ComputeHost } from '../model/compute';
import type { VerifyCheck } from '../../virt/driver';

export type { VerifyCheck };
import type { HostsService } from './hosts';

export interface HeartbeatResult { host: string; up: boolean; error: string | null; ms: number }

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => { while (next < items.length) { const i = next++; out[i] = await fn(items[i]); } };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export class HostChecksService {
  constructor(private readonly hosts: HostsService, private readonly compute: Compute) {}

  private async host(name: string): Promise<ComputeHost> {
    return this.hosts.show(name);
  }

  async verify(name: string): Promise<{ host: string; ok: boolean; checks: VerifyCheck[] }> {
    const h = await this.host(name);
    let checks: VerifyCheck[];
    try {
      checks = await this.compute.call(h, 'verify', async (d) => (d.inspection ? d.inspection.verify() : [{ check: 'driver', ok: true, detail: `${d.type} host: nothing to connect to` }]));
    } catch (e) {
      checks = [{ check: 'connect', ok: false, detail: (e as Error).message }];
    }
    const ok = checks.every((c) => c.ok);
    if (h.driver !== 'fake') await this.hosts.recordContact(name, checks[0]?.ok ?? false, ok ? null : checks.find((c) => !c.ok)?.detail ?? null);
    return { host: name, ok, checks };
  }

  /** Contacts each agentless host (one virsh call) and records up or down; fake hosts are skipped. */
  async heartbeat(names?: string[], opts: { concurrency?: number } = {}): Promise<HeartbeatResult[]> {
    // One lookup at a time: with Promise.all an unknown name rejects while the other lookups are
    // still running, and the caller then closes the database under them.
    const all: ComputeHost[] = [];
    if (names?.length) for (const n of names) all.push(await this.host(n));
    else all.push(...(await this.hosts.list()));
    const targets = all.filter((h) => h.driver !== 'fake');
    return mapLimit(targets, opts.concurrency ?? 16, async (h) => {
      const t0 = Date.now();
      try {
        await this.compute.call(h, 'heartbeat', (d) => d.listInstances());
        await this.hosts.recordContact(h.host, true, null);
        return { host: h.host, up: true, error: null, ms: Date.now() - t0 };
      } catch (e) {
        const msg = isNovaliteError(e) ? e.message : String(e);
        await this.hosts.recordContact(h.host, false, msg);
        return { host: h.host, up: false, error: msg, ms: Date.now() - t0 };
      }
    });
  }

  async pruneImages(name: string, minAgeSeconds: number): Promise<string[]> {
    const h = await this.host(name);
    return this.compute.call(h, 'prune_images', async (d) => (d.inspection ? d.inspection.pruneImages(minAgeSeconds) : []));
  }
}
