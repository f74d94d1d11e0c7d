/**
 * Simple tenant usage (Nova's os-simple-tenant-usage): for a time window, every server that ran
 * in it (deleted ones too) is charged the hours between max(launched, start) and min(terminated,
 * stop), and each project's totals multiply those hours by the flavor's vCPUs, RAM and disk.
 * Servers never launched are not charged. Paging walks servers by (project, uuid), as Nova.
 */
import type { Clock } from '../clock';
import { InvalidInputError } from '../errors';
import type { Server } from '../model/servers';
import type { ServersService } from './servers';

export interface ServerUsage {
  instance_id: string; name: string; tenant_id: string; flavor: string; hours: number;
  vcpus: number; memory_mb: number; local_gb: number;
  started_at: string; ended_at: string | null; state: string; uptime: number;
}

export interface TenantUsage {
  tenant_id: string; start: string; stop: string;
  total_hours: number; total_vcpus_usage: number; total_memory_mb_usage: number; total_local_gb_usage: number;
  server_usages?: ServerUsage[];
}

export interface UsageQuery { start: Date; stop: Date; projectId?: string; detailed?: boolean; limit?: number; marker?: string }

/** Nova's str() of a naive UTC datetime: no zone, microseconds. */
export function naiveTime(d: Date): string {
  return `${d.toISOString().slice(0, 23)}000`;
}

export class UsageService {
  constructor(private readonly servers: ServersService, private readonly clock: Clock) {}

  /** Hours a server ran inside [start, stop] (fractional). */
  static hours(s: Pick<Server, 'launchedAt' | 'terminatedAt'>, start: Date, stop: Date): number {
    if (!s.launchedAt) return 0;
    const launched = new Date(s.launchedAt);
    const terminated = s.terminatedAt ? new Date(s.terminatedAt) : null;
    if ((terminated && terminated < start) || launched > stop) return 0;
    const from = Math.max(launched.getTime(), start.getTime());
    const to = terminated ? Math.min(stop.getTime(), terminated.getTime()) : stop.getTime();
    return Math.max(0, to - from) / 3600_000;
  }

  /** The servers active in the window, ordered by project then uuid, after `marker`, at most `limit`. */
  private async active(q: UsageQuery): Promise<Server[]> {
    const all = await this.servers.list({ allProjects: true, deleted: true, limit: Number.MAX_SAFE_INTEGER });
    const rows = all
      .filter((s) => (!q.projectId || s.projectId === q.projectId) && s.launchedAt !== null && new Date(s.launchedAt) < q.stop
        && (!s.terminatedAt || new Date(s.terminatedAt) > q.start))
      .sort((a, b) => (a.projectId === b.projectId ? (a.uuid < b.uuid ? -1 : 1) : a.projectId < b.projectId ? -1 : 1));
    let from = 0;
    if (q.marker !== undefined) {
      const at = rows.findIndex((s) => s.uuid === q.marker);
      if (at < 0) throw new InvalidInputError(`Marker ${q.marker} could not be found.`, { code: 'MARKER_NOT_FOUND' });
      from = at + 1;
    }
    return rows.slice(from, q.limit === undefined ? undefined : from + q.limit);
  }

  /** Per-project totals (with each server's usage when `detailed`) and the servers' usages in order. */
  async report(q: UsageQuery): Promise<{ tenants: TenantUsage[]; servers: ServerUsage[] }> {
    const now = this.clock.now();
    const tenants = new Map<string, TenantUsage>();
    const servers: ServerUsage[] = [];
    for (const s of await this.active(q)) {
      const hours = UsageService.hours(s, q.start, q.stop);
      const started = new Date(s.launchedAt!);
      const ended = s.terminatedAt ? new Date(s.terminatedAt) : null;
      const u: ServerUsage = {
        instance_id: s.uuid, name: s.name, tenant_id: s.projectId, flavor: s.flavor.name, hours,
        vcpus: s.flavor.vcpus, memory_mb: s.flavor.memoryMb, local_gb: s.flavor.rootGb + s.flavor.ephemeralGb,
        started_at: naiveTime(started), ended_at: ended ? naiveTime(ended) : null, state: ended ? 'terminated' : s.vmState,
        uptime: Math.max(0, Math.floor(((ended ?? now).getTime() - started.getTime()) / 1000)),
      };
      let t = tenants.get(s.projectId);
      if (!t) {
        t = { tenant_id: s.projectId, ...(q.detailed ? { server_usages: [] } : {}), total_local_gb_usage: 0, total_vcpus_usage: 0, total_memory_mb_usage: 0, total_hours: 0, start: naiveTime(q.start), stop: naiveTime(q.stop) };
        tenants.set(s.projectId, t);
      }
      t.total_local_gb_usage += u.local_gb * hours;
      t.total_vcpus_usage += u.vcpus * hours;
      t.total_memory_mb_usage += u.memory_mb * hours;
      t.total_hours += hours;
      t.server_usages?.push(u);
      servers.push(u);
    }
    return { tenants: [...tenants.values()], servers };
  }
}
