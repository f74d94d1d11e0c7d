/**
 * Stores: the facade through which services reach databases. It opens the API database and
 * each cell database on first use (one pool per URL), checks schema versions, runs syncs, and
 * hands out repository bundles. Services see repos and this facade, never knex.
 */
import { Config } from '../config';
import { wrapDbError, Db, openDb, pingDb } from './knex';
import { currentVersion, headVersion, requireHead, syncSchema } from './migrator';
import type { Tree } from './migrations';
import { ApiRepos, CellRepos, makeApiRepos, makeCellRepos } from './repos';

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
    return makeCellRepos(db.knex);
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
