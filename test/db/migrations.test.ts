/** Walks every migration of both trees, one version at a time, on a fresh database of every engine. */
import { Db, openDb } from '../../src/lib/db/knex';
import { currentVersion, headVersion, syncSchema } from '../../src/lib/db/migrator';
import { MIGRATIONS, Tree } from '../../src/lib/db/migrations';
import { createTestDatabase, testEngines, TestEngine } from '../helpers/engines';

jest.setTimeout(180000);

const EXPECTED: Record<Tree, string[]> = {
  api: ['cell_mappings', 'host_mappings', 'instance_mappings', 'flavors', 'flavor_extra_specs', 'flavor_projects', 'key_pairs',
    'aggregates', 'aggregate_hosts', 'aggregate_metadata', 'instance_groups', 'instance_group_policy', 'instance_group_member',
    'quotas', 'project_user_quotas', 'quota_classes', 'request_specs', 'build_requests', 'projects', 'images', 'quota_usages'],
  cell: ['instances', 'instance_metadata', 'instance_system_metadata', 'instance_info_caches', 'instance_extra', 'instance_faults',
    'instance_actions', 'instance_actions_events', 'block_device_mapping', 'migrations', 'compute_nodes', 'services', 'tasks', 'tags',
    'allocations', 'group_host_claims', 'group_affinity_hosts', 'shadow_instances', 'shadow_instance_actions_events', 'shadow_services'],
};

describe.each(testEngines().map((e) => [e.name, e] as [string, TestEngine]))('migrations on %s', (_n, engine) => {
  describe.each(['api', 'cell'] as Tree[])('%s tree', (tree) => {
    let db: Db;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      const t = await createTestDatabase(engine, `mig_${tree}`);
      drop = t.drop;
      db = openDb(t.url, { setting: 'test' });
    });
    afterAll(async () => { await db.close(); await drop(); });

    it('walks up one version at a time, is idempotent, and refuses to go back', async () => {
      expect(await currentVersion(db)).toBe(0);
      for (let v = 1; v <= headVersion(tree); v++) {
        expect(await syncSchema(db, tree, v)).toEqual({ from: v - 1, to: v });
        expect(await currentVersion(db)).toBe(v);
      }
      for (const t of EXPECTED[tree]) expect(await db.knex.schema.hasTable(t)).toBe(true);
      expect(await syncSchema(db, tree)).toEqual({ from: headVersion(tree), to: headVersion(tree) });
      await expect(syncSchema(db, tree, 0)).rejects.toThrow(/downgrading/);
      await expect(syncSchema(db, tree, headVersion(tree) + 1)).rejects.toThrow(/does not exist/);
    });

    it('every migration can be reversed on an empty database (for development)', async () => {
      for (const m of [...MIGRATIONS[tree]].reverse()) await m.down(db.knex);
      for (const t of EXPECTED[tree]) expect(await db.knex.schema.hasTable(t)).toBe(false);
    });
  });
});
