/**
 * The claim transaction of claims.ts, for SQLite, on better-sqlite3 directly: the same
 * statements, prepared once per connection and run synchronously in one BEGIN IMMEDIATE
 * transaction (the write lock up front, so concurrent processes queue on busy_timeout instead
 * of deadlocking on a lock upgrade). Through knex the same claim costs ~10× more, all in
 * statement compilation and preparation — the scheduler's budget is under a millisecond.
 */
import type { Knex } from 'knex';
import type { ClaimOutcome, ClaimRequest } from './claims';

interface Stmt { run(...a: unknown[]): { changes: number }; get(...a: unknown[]): Record<string, any> | undefined; all(...a: unknown[]): Array<Record<string, any>> }
interface SqliteDb { prepare(sql: string): Stmt; transaction<T>(fn: () => T): { immediate(): T } }

const SQL = {
  take: `UPDATE compute_nodes SET vcpus_used = vcpus_used + ?, memory_mb_used = memory_mb_used + ?, local_gb_used = local_gb_used + ?,
    running_vms = running_vms + 1, generation = generation + 1, updated_at = ?
    WHERE id = ? AND deleted_at IS NULL AND vcpus_used + ? <= ? AND memory_mb_used + ? <= ? AND local_gb_used + ? <= ?`,
  alloc: 'INSERT INTO allocations (consumer_uuid, compute_node_id, vcpus, memory_mb, disk_gb, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  pin: 'INSERT INTO group_affinity_hosts (group_uuid, host, created_at) VALUES (?, ?, ?) ON CONFLICT (group_uuid) DO NOTHING',
  pinHost: 'SELECT host FROM group_affinity_hosts WHERE group_uuid = ?',
  groupLive: 'SELECT COUNT(*) AS n FROM group_host_claims WHERE group_uuid = ?',
  movePin: 'UPDATE group_affinity_hosts SET host = ? WHERE group_uuid = ?',
  onHost: 'SELECT slot FROM group_host_claims WHERE group_uuid = ? AND host = ?',
  slot: 'INSERT INTO group_host_claims (group_uuid, host, slot, consumer_uuid, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
};

const cache = new WeakMap<object, Record<keyof typeof SQL, Stmt>>();

function statements(db: SqliteDb): Record<keyof typeof SQL, Stmt> {
  let s = cache.get(db);
  if (!s) {
    s = Object.fromEntries(Object.entries(SQL).map(([k, q]) => [k, db.prepare(q)])) as Record<keyof typeof SQL, Stmt>;
    cache.set(db, s);
  }
  return s;
}

/** The lowest slot number not in use (a released member leaves a hole that the next one fills). */
export function firstFreeSlot(taken: number[]): number {
  const used = new Set(taken);
  let slot = 1;
  while (used.has(slot)) slot++;
  return slot;
}

class Rollback extends Error {
  constructor(readonly outcome: ClaimOutcome) { super('rollback'); }
}

export async function claimSqlite(k: Knex, req: ClaimRequest, now: string): Promise<ClaimOutcome> {
  const client = k.client as { acquireConnection(): Promise<SqliteDb>; releaseConnection(c: SqliteDb): Promise<void> };
  const db = await client.acquireConnection();
  try {
    const s = statements(db);
    const r = req.resources;
    const c = req.capacity;
    return db.transaction((): ClaimOutcome => {
      const n = s.take.run(r.vcpus, r.memoryMb, r.diskGb, now, req.nodeId, r.vcpus, c.vcpus, r.memoryMb, c.memoryMb, r.diskGb, c.diskGb).changes;
      if (n !== 1) return { ok: false, reason: 'capacity' };
      s.alloc.run(req.consumerUuid, req.nodeId, r.vcpus, r.memoryMb, r.diskGb, now);
      const g = req.group;
      if (g) {
        const conflict = new Rollback({ ok: false, reason: 'group' });
        if (g.policy === 'affinity') {
          s.pin.run(g.uuid, req.host, now);
          if (s.pinHost.get(g.uuid)!.host !== req.host) {
            if (Number(s.groupLive.get(g.uuid)!.n) > 0) throw conflict;
            s.movePin.run(req.host, g.uuid);
          }
        }
        const slot = firstFreeSlot(s.onHost.all(g.uuid, req.host).map((x) => Number(x.slot)));
        if (g.policy === 'anti-affinity' && slot > g.maxPerHost) throw conflict;
        if (s.slot.run(g.uuid, req.host, slot, req.consumerUuid, now).changes !== 1) throw conflict;
      }
      return { ok: true };
    }).immediate();
  } catch (e) {
    if (e instanceof Rollback) return e.outcome;
    throw e;
  } finally {
    await client.releaseConnection(db);
  }
}
