/**
 * Cell DB archiving: moves soft-deleted servers (with every row that hangs off them) and other
 * soft-deleted rows into the shadow_* tables, in bounded batches; purges shadow tables.
 */
import type { Knex } from 'knex';

type Row = Record<string, any>;

/** Tables keyed by instance, moved together with their server. */
const INSTANCE_CHILDREN: Array<[table: string, column: string]> = [
  ['instance_metadata', 'instance_uuid'], ['instance_system_metadata', 'instance_uuid'],
  ['instance_info_caches', 'instance_uuid'], ['instance_extra', 'instance_uuid'],
  ['instance_faults', 'instance_uuid'], ['block_device_mapping', 'instance_uuid'],
  ['migrations', 'instance_uuid'], ['tags', 'resource_id'], ['tasks', 'instance_uuid'],
];
/** Tables archived on their own soft delete. */
const STANDALONE = ['migrations', 'tasks', 'services', 'compute_nodes'];

export const SHADOWED_TABLES = [
  'instances', 'instance_actions', 'instance_actions_events',
  ...INSTANCE_CHILDREN.map(([t]) => t), 'services', 'compute_nodes',
].filter((t, i, a) => a.indexOf(t) === i);

export interface ArchiveBatch {
  tables: Record<string, number>;
  instanceUuids: string[];
}

async function move(tx: Knex.Transaction, table: string, ids: number[], now: string, counts: Record<string, number>): Promise<void> {
  if (ids.length === 0) return;
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await tx.raw(`INSERT INTO ?? SELECT * FROM ?? WHERE id IN (${chunk.map(() => '?').join(',')})`, [`shadow_${table}`, table, ...chunk]);
    await tx(`shadow_${table}`).whereIn('id', chunk).whereNull('deleted_at').update({ deleted_at: now });
    await tx(table).whereIn('id', chunk).delete();
  }
  counts[table] = (counts[table] ?? 0) + ids.length;
}

const ids = (rows: Row[]) => rows.map((r) => Number(r.id));

export class ArchiveRepo {
  constructor(private readonly k: Knex) {}

  /** One batch of at most `maxRows` servers plus at most `maxRows` standalone rows per table. */
  async archiveBatch(maxRows: number, before: string | null, now: string): Promise<ArchiveBatch> {
    return this.k.transaction(async (tx) => {
      const counts: Record<string, number> = {};
      const q = tx('instances').whereNotNull('deleted_at').orderBy('id').limit(maxRows).select('id', 'uuid');
      if (before) q.where('deleted_at', '<', before);
      const inst = await q;
      const uuids = inst.map((r: Row) => r.uuid as string);
      for (let i = 0; i < uuids.length; i += 500) {
        const chunk = uuids.slice(i, i + 500);
        const actions = ids(await tx('instance_actions').whereIn('instance_uuid', chunk).select('id'));
        for (let j = 0; j < actions.length; j += 500) {
          const events = ids(await tx('instance_actions_events').whereIn('action_id', actions.slice(j, j + 500)).select('id'));
          await move(tx, 'instance_actions_events', events, now, counts);
        }
        await move(tx, 'instance_actions', actions, now, counts);
        for (const [table, col] of INSTANCE_CHILDREN) {
          await move(tx, table, ids(await tx(table).whereIn(col, chunk).select('id')), now, counts);
        }
      }
      await move(tx, 'instances', ids(inst), now, counts);
      for (const table of STANDALONE) {
        const sq = tx(table).whereNotNull('deleted_at').orderBy('id').limit(maxRows).select('id');
        if (before) sq.where('deleted_at', '<', before);
        await move(tx, table, ids(await sq), now, counts);
      }
      return { tables: counts, instanceUuids: uuids };
    });
  }

  /** Deletes shadow rows archived before `before` (all when null). */
  async purge(before: string | null): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    await this.k.transaction(async (tx) => {
      for (const table of SHADOWED_TABLES) {
        const q = tx(`shadow_${table}`);
        if (before) q.where('deleted_at', '<', before);
        const n = await q.delete();
        if (n) out[`shadow_${table}`] = n;
      }
    });
    return out;
  }
}
