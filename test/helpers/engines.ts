// Which SQL engines the DB suites run on, and throwaway databases on them.
// PostgreSQL and MariaDB come from scripts/ci/pg.sh and scripts/ci/mariadb.sh, which write
// NOVALITE_TEST_PG_URL / NOVALITE_TEST_MYSQL_URL (admin URLs of a superuser) to env files.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export type EngineName = 'sqlite' | 'postgresql' | 'mysql';

export interface TestEngine {
  name: EngineName;
  /** Superuser URL for postgresql/mysql; absent for sqlite. */
  adminUrl?: string;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

const ENGINE_VARS: ReadonlyArray<readonly [EngineName, string]> = [
  ['postgresql', 'NOVALITE_TEST_PG_URL'],
  ['mysql', 'NOVALITE_TEST_MYSQL_URL'],
];

function enginesRequired(env: NodeJS.ProcessEnv): boolean {
  const ci = (env.CI ?? '').toLowerCase();
  return ci === 'true' || ci === '1' || env.NOVALITE_REQUIRE_ENGINES === '1';
}

/**
 * Engines to run DB suites on: sqlite always; postgresql when NOVALITE_TEST_PG_URL is set;
 * mysql when NOVALITE_TEST_MYSQL_URL is set. Under CI=true (or NOVALITE_REQUIRE_ENGINES=1) a
 * missing URL throws an Error naming the variable — suites must never silently skip in CI.
 */
export function testEngines(env: NodeJS.ProcessEnv = process.env): TestEngine[] {
  const engines: TestEngine[] = [{ name: 'sqlite' }];
  const missing: string[] = [];
  for (const [name, variable] of ENGINE_VARS) {
    const url = env[variable]?.trim();
    if (url) engines.push({ name, adminUrl: url });
    else missing.push(variable);
  }
  if (missing.length > 0 && enginesRequired(env)) {
    throw new Error(
      `${missing.join(' and ')} not set, but CI=true or NOVALITE_REQUIRE_ENGINES=1 requires every ` +
        'engine: run the tests through `npm test` (scripts/test.sh starts the servers) or source ' +
        'the env files written by scripts/ci/pg.sh and scripts/ci/mariadb.sh',
    );
  }
  return engines;
}

/** Human label used in describe() titles, e.g. 'postgresql'. Never includes the URL. */
export function engineLabel(engine: TestEngine): string {
  return engine.name;
}

/** `nl_<prefix>_<10 hex>`: lowercase letters, digits and underscores, at most 60 characters. */
export function testDatabaseName(prefix: string): string {
  const suffix = randomBytes(5).toString('hex');
  const maxPrefix = 60 - 'nl_'.length - 1 - suffix.length;
  const clean =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, maxPrefix)
      .replace(/_+$/, '') || 'db';
  return `nl_${clean}_${suffix}`;
}

/** The URL with its password masked, for error messages. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable url>';
  }
}

function withDatabase(adminUrl: string, database: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

// `pg` ships no type declarations (and @types/pg is not a dependency): describe what we use.
interface PgClient {
  connect(): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
  end(): Promise<void>;
}
interface PgModule {
  Client: new (config: { connectionString: string; connectionTimeoutMillis?: number }) => PgClient;
}

async function withPg<T>(adminUrl: string, fn: (c: PgClient) => Promise<T>): Promise<T> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client } = require('pg') as PgModule;
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`cannot connect to postgresql at ${redact(adminUrl)}: ${(err as Error).message}`);
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function withMysql<T>(
  adminUrl: string,
  fn: (c: import('mysql2/promise').Connection) => Promise<T>,
): Promise<T> {
  const mysql = await import('mysql2/promise');
  let conn: import('mysql2/promise').Connection;
  try {
    conn = await mysql.createConnection({ uri: adminUrl, connectTimeout: 10_000 });
  } catch (err) {
    throw new Error(`cannot connect to mysql at ${redact(adminUrl)}: ${(err as Error).message}`);
  }
  try {
    return await fn(conn);
  } finally {
    await conn.end().catch(() => undefined);
  }
}

/**
 * Creates a fresh, uniquely named database on that engine and returns its URL and a drop
 * function (idempotent).
 * sqlite: a file in a fresh temp dir (url `sqlite:///abs/path.sqlite`), drop removes the dir.
 * postgresql/mysql: CREATE DATABASE nl_<prefix>_<random> through adminUrl; drop() ends other
 * sessions on it and runs DROP DATABASE.
 */
export async function createTestDatabase(engine: TestEngine, prefix: string): Promise<TestDatabase> {
  const name = testDatabaseName(prefix);
  switch (engine.name) {
    case 'sqlite': {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nl-sqlite-'));
      return {
        url: `sqlite://${path.join(dir, `${name}.sqlite`)}`,
        drop: once(async () => fs.rmSync(dir, { recursive: true, force: true })),
      };
    }
    case 'postgresql': {
      const adminUrl = requireAdminUrl(engine);
      await withPg(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
      return {
        url: withDatabase(adminUrl, name),
        drop: once(async () => {
          await withPg(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
        }),
      };
    }
    case 'mysql': {
      const adminUrl = requireAdminUrl(engine);
      await withMysql(adminUrl, (c) => c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`));
      return {
        url: withDatabase(adminUrl, name),
        drop: once(async () => {
          await withMysql(adminUrl, async (c) => {
            // Like postgres' WITH (FORCE): a leaked connection must not block the DROP.
            const [rows] = await c.query(
              'SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()',
              [name],
            );
            for (const row of rows as Array<{ id: number }>) {
              await c.query(`KILL ${Number(row.id)}`).catch(() => undefined);
            }
            await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
          });
        }),
      };
    }
    default: {
      const unknown: never = engine.name;
      throw new Error(`unknown engine ${String(unknown)}`);
    }
  }
}

function requireAdminUrl(engine: TestEngine): string {
  if (!engine.adminUrl) throw new Error(`engine ${engine.name} has no adminUrl`);
  return engine.adminUrl;
}

/**
 * Makes sure the database named in `url` exists on the engine (for names novalite derives
 * itself, like cell0's `<name>_cell0`), and returns a function that drops it.
 */
export async function ensureDatabase(engine: TestEngine, url: string): Promise<() => Promise<void>> {
  if (engine.name === 'sqlite') {
    const file = url.replace(/^sqlite:\/\//, '');
    return once(async () => fs.rmSync(file, { force: true }));
  }
  const name = decodeURIComponent(new URL(url.replace(/^[a-z0-9+]+:/, 'http:')).pathname.slice(1));
  if (!/^[a-z0-9_]{1,64}$/.test(name)) throw new Error(`unexpected database name ${name}`);
  const adminUrl = requireAdminUrl(engine);
  if (engine.name === 'postgresql') {
    await withPg(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
    return once(async () => { await withPg(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)); });
  }
  await withMysql(adminUrl, (c) => c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`));
  return once(async () => { await withMysql(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS \`${name}\``)); });
}
