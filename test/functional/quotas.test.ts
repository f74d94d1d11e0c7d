/**
 * Quotas through the CLI: servers, cores and RAM consumed atomically with each create and given
 * back on delete; per-user limits; key pairs, server groups and group members; metadata items.
 * Every refusal is exit 5 and leaves nothing behind.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isolatedEnv, runCli } from '../helpers/cli';

jest.setTimeout(60000);

describe('quotas', () => {
  let env: Record<string, string>;
  const cli = async (args: string[], code = 0) => {
    const r = await runCli([...args, '--json'], env);
    if (r.code !== code) throw new Error(`novalite ${args.join(' ')} exited ${r.code}, expected ${code}: ${r.stdout}${r.stderr}`);
    return r.json;
  };

  beforeAll(async () => {
    env = isolatedEnv();
    for (const a of [['api-db', 'sync'], ['db', 'sync'], ['cell-v2', 'simple-cell-setup'],
      ['host', 'add', 'h1', '--driver', 'fake', '--vcpus', '64', '--memory-mb', '65536', '--disk-gb', '1000'],
      ['flavor', 'create', 'f2', '--vcpus', '2', '--ram', '1024', '--disk', '1']]) await cli(a);
  });

  it('refuses a create over the cores quota, leaving usage and hosts untouched', async () => {
    await cli(['quota', 'set', '--cores', '5']);
    await cli(['server', 'create', 'a', '--flavor', 'f2']);
    await cli(['server', 'create', 'b', '--flavor', 'f2']);
    const r = await cli(['server', 'create', 'c', '--flavor', 'f2'], 5);
    expect(r.error.code).toBe('QUOTA_EXCEEDED');
    expect(r.error.message).toContain('cores');
    const q = await cli(['quota', 'show']);
    expect(q.quota_set.in_use).toMatchObject({ instances: 2, cores: 4, ram: 2048 });
    expect((await cli(['server', 'list'])).servers).toHaveLength(2);
    expect((await cli(['host', 'show', 'h1'])).host.vcpus_used).toBe(4);
    for (const s of ['a', 'b']) await cli(['server', 'delete', s]);
    expect((await cli(['quota', 'show'])).quota_set.in_use).toMatchObject({ instances: 0, cores: 0, ram: 0 });
    await cli(['quota', 'set', '--cores', '20']);
  });

  it('applies per-user limits', async () => {
    await cli(['quota', 'set', '--user', 'admin', '--instances', '1']);
    await cli(['server', 'create', 'u1', '--flavor', 'f2']);
    expect((await cli(['server', 'create', 'u2', '--flavor', 'f2'], 5)).error.message).toMatch(/instances.*user admin/);
    await cli(['server', 'delete', 'u1']);
    await cli(['quota', 'set', '--user', 'admin', '--instances', '-1']);
  });

  it('limits metadata items, key pairs, server groups and group members', async () => {
    await cli(['quota', 'set', '--metadata-items', '2', '--key-pairs', '1', '--server-groups', '1', '--server-group-members', '1']);
    const props = ['--property', 'a=1', '--property', 'b=2', '--property', 'c=3'];
    expect((await cli(['server', 'create', 'm', '--flavor', 'f2', ...props], 5)).error.code).toBe('QUOTA_EXCEEDED');
    expect((await cli(['server', 'list'])).servers).toHaveLength(0);
    await cli(['keypair', 'create', 'k1', '--private-key', path.join(env.HOME, 'k1.pem')]);
    expect((await cli(['keypair', 'create', 'k2'], 5)).error.code).toBe('QUOTA_EXCEEDED');
    await cli(['server-group', 'create', 'g1', '--policy', 'anti-affinity']);
    expect((await cli(['server-group', 'create', 'g2', '--policy', 'affinity'], 5)).error.code).toBe('QUOTA_EXCEEDED');
    await cli(['server', 'create', 'g1-a', '--flavor', 'f2', '--group', 'g1']);
    expect((await cli(['server', 'create', 'g1-b', '--flavor', 'f2', '--group', 'g1'], 5)).error.message).toContain('server_group_members');
    expect((await cli(['quota', 'show'])).quota_set.in_use).toMatchObject({ instances: 1 });
    expect(fs.existsSync(path.join(env.HOME, 'k1.pem'))).toBe(true);
  });

  it('rejects unknown or invalid quota values (exit 2)', async () => {
    expect((await cli(['quota', 'set', '--instances', '-5'], 2)).error.message).toContain('-1');
    expect((await cli(['quota', 'set'], 2)).error.message).toContain('Nothing to set');
  });

  it('quota default shows the defaults, and the class `default` changes them', async () => {
    expect((await cli(['quota', 'default'])).quota_class_set).toMatchObject({ id: 'default', instances: 10, cores: 20, ram: 51200 });
    await cli(['quota', 'set', '--class', 'default', '--instances', '12']);
    expect((await cli(['quota', 'default'])).quota_class_set.instances).toBe(12);
    await cli(['quota', 'set', '--class', 'default', '--instances', '10']);
  });

  it('limits show reports the absolute limits with usage', async () => {
    const l = await cli(['limits', 'show']);
    expect(l.limits.absolute).toMatchObject({ maxTotalInstances: 10, totalInstancesUsed: 1, maxServerMeta: 2 });
  });
});
