/**
 * The nova-manage-style admin flows through the CLI, on every engine: SQLite always, and the
 * real PostgreSQL and MariaDB that the test command starts (required under CI=true).
 */
import { headVersion } from '../../src/lib/db/migrator';
import { deriveCell0Url } from '../../src/lib/db/url';

const CELL = headVersion('cell');
const API = headVersion('api');
import { isolatedEnv, runCli } from '../helpers/cli';
import { createTestDatabase, ensureDatabase, testEngines, TestEngine } from '../helpers/engines';

jest.setTimeout(120000);

async function insertRows(url: string, table: string, rows: Record<string, unknown>[]): Promise<void> {
  const { openDb } = await import('../../src/lib/db/knex');
  const db = openDb(url, { setting: 'test' });
  try { await db.knex(table).insert(rows); } finally { await db.close(); }
}

async function update(url: string, table: string, where: Record<string, unknown>, patch: Record<string, unknown>): Promise<void> {
  const { openDb } = await import('../../src/lib/db/knex');
  const db = openDb(url, { setting: 'test' });
  try { await db.knex(table).where(where).update(patch); } finally { await db.close(); }
}

async function count(url: string, table: string): Promise<number> {
  const { openDb } = await import('../../src/lib/db/knex');
  const db = openDb(url, { setting: 'test' });
  try { const [r] = await db.knex(table).count({ n: '*' }); return Number(r.n); } finally { await db.close(); }
}

const NOW = '2026-01-01T00:00:00.000Z';
const computeNode = (host: string) => ({
  uuid: `00000000-0000-4000-8000-${host.padStart(12, '0').slice(-12).replace(/[^0-9a-f]/g, '0')}`,
  host, hypervisor_hostname: host, hypervisor_type: 'fake', vcpus: 8, memory_mb: 8192, local_gb: 100, created_at: NOW,
});
const instance = (uuid: string, extra: Record<string, unknown> = {}) => ({
  uuid, project_id: 'p1', user_id: 'u1', vm_state: 'active', power_state: 1, host: 'h1', node: 'h1', created_at: NOW, ...extra,
});

describe.each(testEngines().map((e) => [e.name, e] as [string, TestEngine]))('admin flows on %s', (_name, engine) => {
  let env: Record<string, string>;
  let mainUrl: string;
  let drops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    const api = await createTestDatabase(engine, 'api');
    const main = await createTestDatabase(engine, 'main');
    drops = [api.drop, main.drop];
    mainUrl = main.url;
    const cell0 = deriveCell0Url(main.url, 'test');
    drops.push(await ensureDatabase(engine, cell0));
    env = isolatedEnv({ NOVALITE_API_DATABASE_CONNECTION: api.url, NOVALITE_DATABASE_CONNECTION: main.url });
  });
  afterAll(async () => { for (const d of drops) await d().catch(() => undefined); });

  it('refuses db sync before api-db sync, and says what to run (exit 7)', async () => {
    const r = await runCli(['db', 'sync', '--json'], env);
    expect(r.code).toBe(7);
    expect(r.json.error.code).toBe('MIGRATION_NEEDED');
    expect(r.json.error.hint).toContain('api-db sync');
  });

  it('syncs, sets up cells and lists them; every step is idempotent', async () => {
    for (let i = 0; i < 2; i++) {
      const a = await runCli(['api-db', 'sync', '--json'], env);
      expect(a.code).toBe(0);
      expect([a.json.from, a.json.to]).toEqual(i === 0 ? [0, API] : [API, API]);
      const d = await runCli(['db', 'sync', '--json'], env);
      expect(d.code).toBe(0);
      expect(d.json.databases.map((x: any) => x.to)).toEqual([CELL, CELL]);
      const s = await runCli(['cell-v2', 'simple-cell-setup', '--json'], env);
      expect(s.code).toBe(0);
      expect(s.json.created).toEqual(i === 0 ? ['cell0', 'cell1'] : []);
    }
    const l = await runCli(['cell-v2', 'list-cells', '--json'], env);
    expect(l.code).toBe(0);
    expect(l.json.cells.map((c: any) => c.name)).toEqual(['cell0', 'cell1']);
    expect(l.json.cells[0].uuid).toBe('00000000-0000-0000-0000-000000000000');
    if (engine.name !== 'sqlite') {
      expect(JSON.stringify(l.json)).toContain(':****@');
      expect(JSON.stringify(l.json)).not.toContain('novalite-test-pw');
      const v = await runCli(['cell-v2', 'list-cells', '--json', '--verbose'], env);
      expect(JSON.stringify(v.json)).toContain('novalite-test-pw');
    }
    const u = await runCli(['status', 'upgrade-check', '--json'], env);
    expect(u.code).toBe(0);
    expect(u.json.result).toBe('Success');
  });

  it('creates a cell on its own database, and db sync migrates it', async () => {
    const c2 = await createTestDatabase(engine, 'cell2');
    drops.push(c2.drop);
    const c = await runCli(['cell-v2', 'create-cell', '--name', 'cell2', '--database-connection', c2.url, '--json'], env);
    expect(c.code).toBe(0);
    const before = await runCli(['status', 'upgrade-check', '--json'], env);
    expect(before.code).toBe(2);
    expect(before.json.checks.find((x: any) => x.check === 'Cell database schemas').details).toContain('cell2 at 0');
    const d = await runCli(['db', 'sync', '--json'], env);
    expect(d.json.databases.find((x: any) => x.name === 'cell2')).toMatchObject({ from: 0, to: CELL });
    const v = await runCli(['db', 'version', '--json'], env);
    expect(v.json.databases.map((x: any) => [x.name, x.version])).toEqual([['cell0', CELL], ['cell1', CELL], ['cell2', CELL]]);
    const dup = await runCli(['cell-v2', 'create-cell', '--name', 'cell2', '--database-connection', c2.url, '--json'], env);
    expect(dup.code).toBe(4);
  });

  it('discovers hosts, refuses to delete a cell with hosts (4) unless --force', async () => {
    await insertRows(mainUrl, 'compute_nodes', [computeNode('h1'), computeNode('h2')]);
    const d = await runCli(['cell-v2', 'discover-hosts', '--json'], env);
    expect(d.code).toBe(0);
    expect(d.json.cells.flatMap((c: any) => c.hosts).sort()).toEqual(['h1', 'h2']);
    const again = await runCli(['cell-v2', 'discover-hosts', '--strict', '--json'], env);
    expect(again.code).toBe(3);
    const hosts = await runCli(['cell-v2', 'list-hosts', '--cell-uuid', 'cell1', '--json'], env);
    expect(hosts.json.hosts.map((h: any) => h.host)).toEqual(['h1', 'h2']);
    const del = await runCli(['cell-v2', 'delete-cell', '--cell-uuid', 'cell1', '--json'], env);
    expect(del.code).toBe(4);
    expect(del.json.error.code).toBe('CELL_IN_USE');
  });

  it('maps and verifies instances, refuses to delete a host with servers', async () => {
    await insertRows(mainUrl, 'instances', [instance('11111111-1111-4111-8111-111111111111'), instance('22222222-2222-4222-8222-222222222222', { host: 'h2', node: 'h2' })]);
    const m1 = await runCli(['cell-v2', 'map-instances', '--cell-uuid', 'cell1', '--max-count', '1', '--json'], env);
    expect(m1.json).toEqual({ mapped: 1, remaining: true });
    const m2 = await runCli(['cell-v2', 'map-instances', '--cell-uuid', 'cell1', '--json'], env);
    expect(m2.json).toEqual({ mapped: 1, remaining: false });
    const v = await runCli(['cell-v2', 'verify-instance', '--uuid', '11111111-1111-4111-8111-111111111111', '--json'], env);
    expect(v.code).toBe(0);
    expect(v.json.cell_name).toBe('cell1');
    const nv = await runCli(['cell-v2', 'verify-instance', '--uuid', '99999999-9999-4999-8999-999999999999', '--quiet'], env);
    expect(nv.code).toBe(3);
    expect(nv.stdout).toBe('');
    const dh = await runCli(['cell-v2', 'delete-host', '--cell-uuid', 'cell1', '--host', 'h2', '--json'], env);
    expect(dh.code).toBe(4);
    const missing = await runCli(['cell-v2', 'delete-host', '--cell-uuid', 'cell1', '--host', 'nope', '--json'], env);
    expect(missing.code).toBe(3);
  });

  it('archives deleted servers with their rows and purges the shadow tables', async () => {
    const uuid = '33333333-3333-4333-8333-333333333333';
    await insertRows(mainUrl, 'instances', [instance(uuid)]);
    await insertRows(mainUrl, 'instance_metadata', [{ instance_uuid: uuid, key: 'k', value: 'v', created_at: NOW }]);
    await insertRows(mainUrl, 'instance_actions', [{ action: 'create', instance_uuid: uuid, request_id: 'req-1', created_at: NOW }]);
    await runCli(['cell-v2', 'map-instances', '--cell-uuid', 'cell1', '--json'], env);
    await update(mainUrl, 'instances', { uuid }, { deleted_at: '2026-01-02T00:00:00.000Z' });
    const early = await runCli(['db', 'archive-deleted-rows', '--before', '2026-01-01', '--json'], env);
    expect(early.code).toBe(0);
    expect(early.json.cells[0].tables).toEqual({});
    const a = await runCli(['db', 'archive-deleted-rows', '--until-complete', '--max-rows', '1', '--json'], env);
    expect(a.code).toBe(0);
    expect(a.json.cells[0].tables).toMatchObject({ instances: 1, instance_metadata: 1, instance_actions: 1, 'API_DB.instance_mappings': 1 });
    expect(await count(mainUrl, 'shadow_instances')).toBe(1);
    expect(await count(mainUrl, 'instances')).toBe(2);
    const none = await runCli(['db', 'archive-deleted-rows', '--json'], env);
    expect(none.code).toBe(0);
    const p = await runCli(['db', 'purge', '--json'], env);
    expect(p.json.purged).toMatchObject({ 'cell1.shadow_instances': 1, 'cell1.shadow_instance_metadata': 1 });
    expect(await count(mainUrl, 'shadow_instances')).toBe(0);
  });

  it('deletes a cell with --force, keeping cells with live servers', async () => {
    const refused = await runCli(['cell-v2', 'delete-cell', '--cell-uuid', 'cell1', '--force', '--json'], env);
    expect(refused.code).toBe(4);
    const c2 = await runCli(['cell-v2', 'delete-cell', '--cell-uuid', 'cell2', '--json'], env);
    expect(c2.code).toBe(0);
    const l = await runCli(['cell-v2', 'list-cells', '--json'], env);
    expect(l.json.cells.map((c: any) => c.name)).toEqual(['cell0', 'cell1']);
  });
});

describe('unreachable and unusable databases', () => {
  it('names the database, never its password (exit 7)', async () => {
    const env = isolatedEnv({ NOVALITE_API_DATABASE_CONNECTION: 'postgresql://nova:hunter2@127.0.0.1:1/nova_api' });
    const r = await runCli(['api-db', 'version', '--json'], env);
    expect(r.code).toBe(7);
    expect(r.json.error.code).toBe('DATABASE_UNREACHABLE');
    expect(r.json.error.message).toContain('nova_api');
    expect(r.stdout + r.stderr).not.toContain('hunter2');
  });

  it('rejects an unparseable URL naming the setting (exit 2)', async () => {
    const env = isolatedEnv({ NOVALITE_DATABASE_CONNECTION: 'oracle://x' });
    await runCli(['api-db', 'sync'], env);
    const r = await runCli(['db', 'sync', '--json'], env);
    expect(r.code).toBe(2);
    expect(r.json.error.message).toContain('[database] connection');
  });
});
