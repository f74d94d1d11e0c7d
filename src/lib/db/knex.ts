/**
 * The knex factory: one place that turns a connection URL into a pooled knex instance with the
 * engine settings we rely on (SQLite WAL + busy timeout, pooled PostgreSQL and MySQL), and that
 * turns driver errors into DatabaseErrors that name the database but never its password.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import knexFactory, { Knex } from 'knex';
import { DatabaseError, NovaliteError } from '../errors';
import { describeDb, Engine, maskUrl, ParsedUrl, parseDbUrl } from './url';

export interface Db {
  knex: Knex;
  engine: Engine;
  /** A display name without credentials. */
  label: string;
  /** The URL with its password masked. */
  maskedUrl: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  setting: string;
  baseDir?: string;
  poolSize?: number;
  busyTimeoutMs?: number;
}

/**
 * knex prepares every statement anew; on SQLite preparing costs as much as running. The same
 * SQL text (knex emits identical text for identical query shapes) reuses its prepared statement.
 */
function cachePreparedStatements(conn: { prepare: (sql: string) => unknown }): void {
  const prepare = conn.prepare.bind(conn);
  const cache = new Map<string, unknown>();
  conn.prepare = (sql: string) => {
    let st = cache.get(sql);
    if (st === undefined) {
      st = prepare(sql);
      if (cache.size >= 1000) cache.clear();
      cache.set(sql, st);
    }
    return st;
  };
}

// knex logs driver warnings with console.log, which would break the one-JSON-document rule on
// stdout. The same failures reach us as thrown errors, so its own log lines are dropped.
const quiet = { warn() {}, error() {}, deprecate() {}, debug() {} };

function knexConfig(p: ParsedUrl, opts: OpenOptions): Knex.Config {
  return { ...engineConfig(p, opts), log: quiet };
}

function engineConfig(p: ParsedUrl, opts: OpenOptions): Knex.Config {
  if (p.engine === 'sqlite') {
    const busy = opts.busyTimeoutMs ?? 10000;
    return {
      // better-sqlite3 runs statements synchronously in-process: a claim (BEGIN, UPDATE, INSERT,
      // COMMIT) costs microseconds instead of four trips through libuv's thread pool.
      client: 'better-sqlite3',
      connection: { filename: p.filename!, options: { timeout: busy } } as Knex.Sqlite3ConnectionConfig,
      useNullAsDefault: true,
      // One connection: SQLite serialises writers anyway, and a single connection keeps
      // transactions simple within a process.
      pool: {
        min: 1, max: 1,
        afterCreate: (conn: { pragma: (s: string) => unknown; prepare: (sql: string) => unknown }, done: (e: Error | null, c: unknown) => void) => {
          try {
            cachePreparedStatements(conn);
            conn.pragma(`busy_timeout = ${busy}`);
            conn.pragma('journal_mode = WAL');
            // NORMAL: commits do not fsync in WAL mode, checkpoints do; a larger checkpoint
            // interval (40 MB of WAL) makes those fsyncs rare on busy schedulers.
            conn.pragma('synchronous = NORMAL');
            conn.pragma('wal_autocheckpoint = 10000');
            conn.pragma('foreign_keys = ON');
            done(null, conn);
          } catch (e) {
            done(e as Error, conn);
          }
        },
      },
    };
  }
  const connection = {
    host: p.host, port: p.port, user: p.user, password: p.password, database: p.database,
  };
  const max = opts.poolSize ?? 10;
  if (p.engine === 'postgresql') {
    return { client: 'pg', connection: { ...connection, connectionTimeoutMillis: 5000 } as Knex.PgConnectionConfig, pool: { min: 0, max } };
  }
  return {
    client: 'mysql2',
    connection: { ...connection, connectTimeout: 5000, charset: 'utf8mb4', timezone: 'Z', supportBigNumbers: true } as Knex.MySql2ConnectionConfig,
    pool: { min: 0, max },
  };
}

export function openDb(url: string, opts: OpenOptions): Db {
  const parsed = parseDbUrl(url, opts.setting, opts.baseDir);
  if (parsed.engine === 'sqlite') fs.mkdirSync(path.dirname(parsed.filename!), { recursive: true });
  const knex = knexFactory(knexConfig(parsed, opts));
  return {
    knex,
    engine: parsed.engine,
    label: describeDb(parsed),
    maskedUrl: maskUrl(url),
    close: () => knex.destroy(),
  };
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET', 'EAI_AGAIN', 'PROTOCOL_CONNECTION_LOST']);

/** Maps a driver error to a DatabaseError naming the database; other errors pass through. */
export function wrapDbError(db: Pick<Db, 'label'>, e: unknown): unknown {
  if (e instanceof NovaliteError) return e;
  const err = e as { code?: string; errno?: number; message?: string };
  const code = err?.code ?? '';
  const msg = String(err?.message ?? e);
  const scrub = (s: string) => s.replace(/(:\/\/[^:/@]*:)[^@]*@/g, '$1****@');
  if (UNREACHABLE.has(code) || /timeout acquiring a connection|Connection terminated/i.test(msg)) {
    return new DatabaseError(`Cannot reach the ${db.label} (${code || scrub(msg)}).`, {
      code: 'DATABASE_UNREACHABLE', hint: 'Check that the server is running and the connection URL is right.',
    });
  }
  if (code === '28P01' || code === 'ER_ACCESS_DENIED_ERROR' || code === '28000') {
    return new DatabaseError(`The ${db.label} refused the credentials.`, {
      code: 'DATABASE_AUTH_FAILED', hint: 'Check the user and password in the connection URL.',
    });
  }
  if (code === '3D000' || code === 'ER_BAD_DB_ERROR') {
    return new DatabaseError(`The ${db.label} does not exist.`, {
      code: 'DATABASE_MISSING', hint: 'Create the database on the server first (CREATE DATABASE …).',
    });
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_NOTADB') {
    return new DatabaseError(`Cannot open the ${db.label}: ${code}.`, {
      code: 'DATABASE_UNUSABLE', hint: 'Check the file path and its permissions.',
    });
  }
  return e;
}

/** Runs one trivial query so that an unreachable database fails early with a clear error. */
export async function pingDb(db: Db): Promise<void> {
  try {
    await db.knex.raw('select 1');
  } catch (e) {
    throw wrapDbError(db, e);
  }
}
