/**
 * Database administration (nova-manage db / api_db): schema sync and versions on the API
 * database and every cell database, archiving deleted rows, purging shadow tables and running
 * online data migrations.
 */
import { Clock, isoTime } from '../clock';
import type { Db } from '../db/stores';
import { Stores } from '../db/stores';
import { deriveCell0Url } from '../db/url';
import { InvalidInputError } from '../errors';
import { CELL0_UUID, CellMapping, isCell0 } from '../model/cells';
import { ONLINE_MIGRATIONS, OnlineMigration } from './online-migrations';

export interface SyncTarget {
  /** cell name, or a label for a database not mapped yet. */
  name: string;
  uuid: string | null;
  db: Db;
}

export interface SyncResult { name: string; uuid: string | null; database: string; from: number; to: number }
export interface VersionRow { name: string; uuid: string | null; database: string; version: number; head: number }

export class DbAdminService {
  constructor(private readonly stores: Stores, private readonly clock: Clock, private readonly onlineMigrations: OnlineMigration[] = ONLINE_MIGRATIONS) {}

  async apiSync(version?: number): Promise<SyncResult> {
    const db = this.stores.apiDb();
    const r = await this.stores.sync(db, 'api', version);
    return { name: 'api', uuid: null, database: db.maskedUrl, ...r };
  }

  async apiVersion(): Promise<VersionRow> {
    const db = this.stores.apiDb();
    const v = await this.stores.version(db, 'api');
    return { name: 'api', uuid: null, database: db.maskedUrl, version: v.current, head: v.head };
  }

  /**
   * The cell databases `db sync` migrates: every mapped cell, plus — before cells are set up —
   * the [database] connection and the cell0 derived from it, so a fresh install can sync first
   * and map cells afterwards.
   */
  async cellTargets(): Promise<SyncTarget[]> {
    const api = await this.stores.api();
    const cells = await api.cells.list();
    const out: SyncTarget[] = cells.map((c) => ({ name: c.name ?? c.uuid, uuid: c.uuid, db: this.stores.cellDb(c) }));
    const main = this.stores.mainCellUrl();
    if (!cells.some((c) => isCell0(c))) {
      out.unshift({ name: 'cell0', uuid: CELL0_UUID, db: this.stores.cellDb(deriveCell0Url(main, '[database] connection')) });
    }
    if (!cells.some((c) => c.databaseConnection === main)) {
      out.push({ name: 'main database ([database] connection)', uuid: null, db: this.stores.cellDb(main) });
    }
    const seen = new Set<string>();
    return out.filter((t) => !seen.has(t.db.maskedUrl) && seen.add(t.db.maskedUrl) !== undefined);
  }

  async syncTarget(t: SyncTarget, version?: number): Promise<SyncResult> {
    const r = await this.stores.sync(t.db, 'cell', version);
    return { name: t.name, uuid: t.uuid, database: t.db.maskedUrl, ...r };
  }

  async cellVersions(): Promise<VersionRow[]> {
    const out: VersionRow[] = [];
    for (const t of await this.cellTargets()) {
      const v = await this.stores.version(t.db, 'cell');
      out.push({ name: t.name, uuid: t.uuid, database: t.db.maskedUrl, version: v.current, head: v.head });
    }
    return out;
  }

  /** The cells archive and purge act on: all of them, or the one on [database] connection. */
  private async cellsFor(allCells: boolean): Promise<CellMapping[]> {
    const cells = await (await this.stores.api()).cells.list();
    if (allCells) return cells;
    const main = cells.filter((c) => c.databaseConnection === this.stores.mainCellUrl());
    if (main.length === 0) {
      throw new InvalidInputError('No mapped cell uses the [database] connection.', { hint: 'Pass --all-cells, or run `novalite cell-v2 simple-cell-setup`.' });
    }
    return main;
  }

  async archiveDeletedRows(opts: { maxRows?: number; before?: Date; untilComplete?: boolean; purge?: boolean; allCells?: boolean },
    onBatch?: (cell: string, tables: Record<string, number>) => void): Promise<{ cells: Array<{ cell: string; tables: Record<string, number> }>; purged: Record<string, number> }> {
    const maxRows = opts.maxRows ?? 1000;
    if (!Number.isInteger(maxRows) || maxRows < 1) throw new InvalidInputError('--max-rows must be a positive integer.');
    const before = opts.before ? isoTime(opts.before) : null;
    const api = await this.stores.api();
    const out: Array<{ cell: string; tables: Record<string, number> }> = [];
    const purged: Record<string, number> = {};
    for (const cell of await this.cellsFor(!!opts.allCells)) {
      const repos = await this.stores.cell(cell);
      const totals: Record<string, number> = {};
      for (;;) {
        const batch = await repos.archive.archiveBatch(maxRows, before, isoTime(this.clock.now()));
        const n = await api.instanceMappings.deleteForInstances(batch.instanceUuids);
        if (n) batch.tables['API_DB.instance_mappings'] = n;
        for (const [t, c] of Object.entries(batch.tables)) totals[t] = (totals[t] ?? 0) + c;
        const moved = Object.values(batch.tables).reduce((a, b) => a + b, 0);
        if (moved) onBatch?.(cell.name ?? cell.uuid, batch.tables);
        if (!opts.untilComplete || moved === 0) break;
      }
      out.push({ cell: cell.name ?? cell.uuid, tables: totals });
      if (opts.purge) Object.assign(purged, prefix(cell, await repos.archive.purge(null)));
    }
    return { cells: out, purged };
  }

  async purge(opts: { before?: Date; allCells?: boolean }): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const cell of await this.cellsFor(!!opts.allCells)) {
      const repos = await this.stores.cell(cell);
      Object.assign(out, prefix(cell, await repos.archive.purge(opts.before ? isoTime(opts.before) : null)));
    }
    return out;
  }

  /** Runs each online migration in batches of `maxCount` until it finds nothing, or once when `maxCount` is given. */
  async onlineDataMigrations(maxCount?: number): Promise<{ rows: Array<{ migration: string; found: number; done: number; error?: string }>; remaining: boolean }> {
    if (maxCount !== undefined && (!Number.isInteger(maxCount) || maxCount < 1)) {
      throw new InvalidInputError('--max-count must be a positive integer.');
    }
    const rows: Array<{ migration: string; found: number; done: number; error?: string }> = [];
    let remaining = false;
    for (const m of this.onlineMigrations) {
      const row = { migration: m.name, found: 0, done: 0 } as { migration: string; found: number; done: number; error?: string };
      rows.push(row);
      try {
        for (;;) {
          const [found, done] = await m.run(this.stores, maxCount ?? 50);
          row.found += found;
          row.done += done;
          if (maxCount !== undefined) { if (found > done || found === maxCount) remaining = true; break; }
          if (found === 0 || done === 0) break;
        }
      } catch (e) {
        row.error = (e as Error).message;
      }
    }
    return { rows, remaining };
  }

  async pendingOnlineMigrations(): Promise<string[]> {
    const pending: string[] = [];
    for (const m of this.onlineMigrations) {
      const [found] = await m.run(this.stores, 0);
      if (found > 0) pending.push(m.name);
    }
    return pending;
  }
}

function prefix(cell: CellMapping, counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [`${cell.name ?? cell.uuid}.${k}`, v]));
}
