/** Claims on every engine: capacity re-checked in the database, group slots, release. */
import { randomUUID } from 'node:crypto';
import { Db, openDb } from '../../src/lib/db/knex';
import { syncSchema } from '../../src/lib/db/migrator';
import { ClaimRepo } from '../../src/lib/db/repos/claims';
import { createTestDatabase, testEngines, TestEngine } from '../helpers/engines';

jest.setTimeout(60000);

const NOW = '2026-01-01T00:00:00.000Z';
const defaults = { cpuAllocationRatio: 1, ramAllocationRatio: 1, diskAllocationRatio: 1, reservedHostCpus: 0, reservedHostMemoryMb: 0, reservedHostDiskMb: 0 };

describe.each(testEngines().map((e) => [e.name, e] as [string, TestEngine]))('claims on %s', (_n, engine) => {
  let db: Db;
  let drop: () => Promise<void>;
  let repo: ClaimRepo;
  let nodeId: number;
  beforeAll(async () => {
    const t = await createTestDatabase(engine, 'claims');
    drop = t.drop;
    db = openDb(t.url, { setting: 'test' });
    await syncSchema(db, 'cell');
    await db.knex('compute_nodes').insert({ uuid: randomUUID(), host: 'h1', hypervisor_hostname: 'h1', hypervisor_type: 'fake', vcpus: 4, memory_mb: 4096, local_gb: 40, created_at: NOW, updated_at: NOW });
    nodeId = Number((await db.knex('compute_nodes').first('id')).id);
    repo = new ClaimRepo(db.knex, defaults);
  });
  afterAll(async () => { await db.close(); await drop(); });

  const req = (consumer: string, group?: { uuid: string; policy: 'affinity' | 'anti-affinity'; maxPerHost: number }) => ({
    nodeId, host: 'h1', consumerUuid: consumer, resources: { vcpus: 1, memoryMb: 1024, diskGb: 10 }, capacity: { vcpus: 4, memoryMb: 4096, diskGb: 40 }, group,
  });

  it('refuses a claim beyond capacity and leaves the row as it was', async () => {
    const ids = Array.from({ length: 5 }, () => randomUUID());
    const out = [];
    for (const id of ids) out.push((await repo.claim(req(id), NOW)).ok);
    expect(out).toEqual([true, true, true, true, false]);
    const row = await db.knex('compute_nodes').first();
    expect([Number(row.vcpus_used), Number(row.memory_mb_used), Number(row.running_vms)]).toEqual([4, 4096, 4]);
    for (const id of ids) await repo.release(id, NOW);
    const after = await db.knex('compute_nodes').first();
    expect([Number(after.vcpus_used), Number(after.running_vms)]).toEqual([0, 0]);
    expect(await repo.overcommittedNodes()).toEqual([]);
    expect(await repo.inconsistentNodes()).toEqual([]);
  });

  it('anti-affinity with max_server_per_host=2 reuses a released slot and refuses a third', async () => {
    const g = { uuid: randomUUID(), policy: 'anti-affinity' as const, maxPerHost: 2 };
    const [a, b, c, d] = Array.from({ length: 4 }, () => randomUUID());
    expect(await repo.claim(req(a, g), NOW)).toEqual({ ok: true });
    expect(await repo.claim(req(b, g), NOW)).toEqual({ ok: true });
    expect(await repo.claim(req(c, g), NOW)).toEqual({ ok: false, reason: 'group' });
    await repo.release(a, NOW);
    expect(await repo.claim(req(c, g), NOW)).toEqual({ ok: true });
    expect(await repo.claim(req(d, g), NOW)).toEqual({ ok: false, reason: 'group' });
    for (const x of [b, c]) await repo.release(x, NOW);
    // A refused group claim rolled back its resources too.
    expect(Number((await db.knex('compute_nodes').first()).vcpus_used)).toBe(0);
  });
});
