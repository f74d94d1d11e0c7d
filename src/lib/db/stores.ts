/**
 * Stores: the facade through which services reach databases. It opens the API database and
 * each cell database on first use (one pool per URL), checks schema versions, runs syncs, and
 * hands out repository bundles. Services see repos and this facade, never knex.
 */
import { Config } from '../config';
import { wrapDbError, Db, openDb, pingDb } from './knex';
import { currentVersion, headVersion, requireHead, syncSchema } from './migrator';
import type { Tree } from './migrations';
import { ApiRepos, CellRepos, ClaimDefaults, makeApiRepos, makeCellRepos } from './repos';

export type { Tree } from './migrations';
export type { Db } from './knex';

export interface CellRef {
  uuid: string;
  name: string | null;
  databaseConnection: string;
}

export class Stores {
  private readonly pools = new Map<string, Db>();
  private readonly checked = new Set<string>();

  constructor(private readonly config: Config) {}

  private open(url: string, setting: string): Db {
    let db = this.pools.get(url);
    if (!db) {
      db = openDb(url, {
        setting,
        baseDir: this.config.get<string>('DEFAULT', 'state_path'),
        poolSize: this.config.get<number>('database', 'max_pool_size'),
        busyTimeoutMs: this.config.get<number>('database', 'sqlite_busy_timeout_ms'),
      });
      this.pools.set(url, db);
    }
    return db;
  }

  apiUrl(): string { return this.config.get<string>('api_database', 'connection'); }
  mainCellUrl(): string { return this.config.get<string>('database', 'connection'); }

  apiDb(): Db { return this.open(this.apiUrl(), '[api_database] connection'); }

  cellDb(cell: CellRef | string): Db {
    if (typeof cell === 'string') return this.open(cell, '[database] connection');
    return this.open(cell.databaseConnection, `database_connection of cell ${cell.name ?? cell.uuid}`);
  }

  /** Repos on the API database; fails with MIGRATION_NEEDED unless it is at the latest schema. */
  async api(): Promise<ApiRepos> {
    const db = this.apiDb();
    await this.ensureHead(db, 'api');
    return makeApiRepos(db.knex);
  }

  async cell(cell: CellRef): Promise<CellRepos> {
    const db = this.cellDb(cell);
    await this.ensureHead(db, 'cell');
    return makeCellRepos(db.knex, { uuid: cell.uuid, name: cell.name }, this.claimDefaults());
  }

  /**
   * Allocation ratios and reserved amounts for hosts that set none. Nova's defaults since
   * Stein: the initial_*_allocation_ratio values (vCPU 4.0, RAM 1.0, disk 1.0).
   */
  claimDefaults(): ClaimDefaults {
    const c = this.config;
    return {
      cpuAllocationRatio: c.get<number | null>('compute', 'cpu_allocation_ratio') ?? 4.0,
      ramAllocationRatio: c.get<number | null>('compute', 'ram_allocation_ratio') ?? 1.0,
      diskAllocationRatio: c.get<number | null>('compute', 'disk_allocation_ratio') ?? 1.0,
      reservedHostCpus: c.get<number>('compute', 'reserved_host_cpus'),
      reservedHostMemoryMb: c.get<number>('compute', 'reserved_host_memory_mb'),
      reservedHostDiskMb: c.get<number>('compute', 'reserved_host_disk_mb'),
    };
  }

  private async ensureHead(db: Db, tree: Tree): Promise<void> {
    const key = `${tree}:${db.maskedUrl}`;
    if (this.checked.has(key)) return;
    await pingDb(db);
    await requireHead(db, tree);
    this.checked.add(key);
  }

  async version(db: Db, tree: Tree): Promise<{ current: number; head: number }> {
    await pingDb(db);
    return { current: await currentVersion(db), head: headVersion(tree) };
  }

  async sync(db: Db, tree: Tree, target?: number): Promise<{ from: number; to: number }> {
    await pingDb(db);
    return syncSchema(db, tree, target);
  }

  /** Checks that a URL can be opened and answers, without keeping it for later. */
  async probe(url: string, setting: string): Promise<void> {
    const db = this.open(url, setting);
    await pingDb(db);
  }

  /** Runs `fn` and maps driver errors of `db` to DatabaseErrors. */
  async guard<T>(db: Db, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw wrapDbError(db, e);
    }
  }

  async close(): Promise<void> {
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((d) => d.close().catch(() => undefined)));
  }
}
