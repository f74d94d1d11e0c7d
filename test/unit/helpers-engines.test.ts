// Self-check of test/helpers/engines.ts. The engine selection is tested on a fake env; the
// postgresql/mysql round trips run when scripts/ci/*.sh have provided their URLs.
import * as fs from 'fs';
import { createTestDatabase, engineLabel, testDatabaseName, testEngines } from '../helpers/engines';

describe('testEngines', () => {
  const pg = 'postgresql://u:p@127.0.0.1:5432/novalite';
  const my = 'mysql://u:p@127.0.0.1:3306/novalite';

  it('always has sqlite and adds engines whose URL is set', () => {
    expect(testEngines({}).map(engineLabel)).toEqual(['sqlite']);
    expect(testEngines({ NOVALITE_TEST_PG_URL: pg, NOVALITE_TEST_MYSQL_URL: my })).toEqual([
      { name: 'sqlite' },
      { name: 'postgresql', adminUrl: pg },
      { name: 'mysql', adminUrl: my },
    ]);
  });

  it('throws naming the missing variable under CI or NOVALITE_REQUIRE_ENGINES=1', () => {
    expect(() => testEngines({ CI: 'true', NOVALITE_TEST_PG_URL: pg })).toThrow(/NOVALITE_TEST_MYSQL_URL/);
    expect(() => testEngines({ NOVALITE_REQUIRE_ENGINES: '1', NOVALITE_TEST_MYSQL_URL: my })).toThrow(
      /NOVALITE_TEST_PG_URL/,
    );
    expect(testEngines({ CI: 'true', NOVALITE_TEST_PG_URL: pg, NOVALITE_TEST_MYSQL_URL: my })).toHaveLength(3);
  });
});

describe('testDatabaseName', () => {
  it('is valid on postgresql and mysql and unique', () => {
    const a = testDatabaseName('Server Lifecycle/Évac-2 '.repeat(5));
    expect(a).toMatch(/^nl_[a-z0-9_]+_[0-9a-f]{10}$/);
    expect(a.length).toBeLessThanOrEqual(60);
    expect(testDatabaseName('x')).not.toEqual(testDatabaseName('x'));
    expect(testDatabaseName('---')).toMatch(/^nl_db_[0-9a-f]{10}$/);
  });
});

describe('createTestDatabase', () => {
  it('sqlite: a file URL in a fresh temp dir, removed by drop()', async () => {
    const db = await createTestDatabase({ name: 'sqlite' }, 'unit');
    expect(db.url).toMatch(/^sqlite:\/\/\/.+\/nl_unit_[0-9a-f]{10}\.sqlite$/);
    const dir = db.url.slice('sqlite://'.length).replace(/\/[^/]+$/, '');
    expect(fs.existsSync(dir)).toBe(true);
    await db.drop();
    await db.drop();
    expect(fs.existsSync(dir)).toBe(false);
  });

  const pgUrl = process.env.NOVALITE_TEST_PG_URL;
  // Skipped only outside `npm test` (which starts the servers and sets the URLs); CI always sets them.
  (pgUrl ? it : it.skip)('postgresql: creates, connects, drops', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Client } = require('pg');
    const db = await createTestDatabase({ name: 'postgresql', adminUrl: pgUrl }, 'unit');
    const name = new URL(db.url).pathname.slice(1);
    const c = new Client({ connectionString: db.url });
    c.on('error', () => undefined); // drop() terminates this session
    await c.connect();
    const res = await c.query('SELECT 1 AS one, current_database() AS db');
    expect(res.rows[0]).toEqual({ one: 1, db: name });
    // Left open on purpose: drop() must not be blocked by a leaked connection.
    await db.drop();
    await c.end().catch(() => undefined);
    const admin = new Client({ connectionString: pgUrl });
    await admin.connect();
    const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    await admin.end();
    expect(left.rowCount).toBe(0);
  });

  const myUrl = process.env.NOVALITE_TEST_MYSQL_URL;
  (myUrl ? it : it.skip)('mysql: creates, connects, drops', async () => {
    const mysql = await import('mysql2/promise');
    const db = await createTestDatabase({ name: 'mysql', adminUrl: myUrl }, 'unit');
    const name = new URL(db.url).pathname.slice(1);
    const c = await mysql.createConnection(db.url);
    c.on('error', () => undefined); // drop() kills this session
    await c.query('CREATE TABLE t (id INT PRIMARY KEY)');
    await c.beginTransaction();
    await c.query('INSERT INTO t VALUES (1)');
    const [rows] = await c.query('SELECT 1 AS one, DATABASE() AS db');
    expect(rows).toEqual([{ one: 1, db: name }]);
    // Open transaction holding a metadata lock: drop() must not hang on it.
    await db.drop();
    c.destroy();
    const admin = await mysql.createConnection(myUrl!);
    const [left] = await admin.query('SHOW DATABASES LIKE ?', [name]);
    await admin.end();
    expect(left).toEqual([]);
  });
});
