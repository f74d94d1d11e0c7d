/** `server-group create/list/show/delete`: --json shapes (Compute API 2.64 server group), exit codes, rules. */
import { runCli, setupEnv } from '../helpers/cli';

jest.setTimeout(60000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('server-group commands', () => {
  let env: Record<string, string>;
  const cli = (...argv: string[]) => runCli([...argv, '--json'], env);

  beforeAll(async () => {
    env = await setupEnv();
  });

  it('create with anti-affinity and --rule max_server_per_host=2 returns the 2.64 object', async () => {
    const r = await cli('server-group', 'create', 'db', '--policy', 'anti-affinity', '--rule', 'max_server_per_host=2');
    expect(r.code).toBe(0);
    expect(r.json).toEqual({
      server_group: { id: expect.stringMatching(UUID), name: 'db', policy: 'anti-affinity', rules: { max_server_per_host: 2 }, members: [], project_id: expect.stringMatching(/^[0-9a-f]{32}$/), user_id: 'admin' },
    });
  });

  it.each(['affinity', 'soft-affinity', 'soft-anti-affinity', 'anti-affinity'])('create with policy %s and no rules', async (policy) => {
    const r = await cli('server-group', 'create', `g-${policy}`, '--policy', policy);
    expect(r.code).toBe(0);
    expect(r.json.server_group).toMatchObject({ name: `g-${policy}`, policy, rules: {}, members: [] });
  });

  it.each([
    ['max_server_per_host with affinity', ['--policy', 'affinity', '--rule', 'max_server_per_host=2']],
    ['max_server_per_host with soft-anti-affinity', ['--policy', 'soft-anti-affinity', '--rule', 'max_server_per_host=2']],
    ['max_server_per_host=0', ['--policy', 'anti-affinity', '--rule', 'max_server_per_host=0']],
    ['max_server_per_host=two', ['--policy', 'anti-affinity', '--rule', 'max_server_per_host=two']],
    ['an unknown rule', ['--policy', 'anti-affinity', '--rule', 'max_servers=2']],
    ['a rule without a value', ['--policy', 'anti-affinity', '--rule', 'max_server_per_host']],
    ['an unknown policy', ['--policy', 'spread']],
    ['no policy', []],
  ])('create with %s exits 2 and creates nothing', async (_what, flags) => {
    const r = await cli('server-group', 'create', 'bad', ...flags);
    expect(r.code).toBe(2);
    expect(r.json.error).toHaveProperty('message');
    expect((await cli('server-group', 'show', 'bad')).code).toBe(3);
  });

  it('a duplicate name in the project exits 4', async () => {
    const r = await cli('server-group', 'create', 'db', '--policy', 'affinity');
    expect(r.code).toBe(4);
    expect(r.json.error.code).toBe('SERVER_GROUP_EXISTS');
  });

  it('list returns {server_groups}, --all-projects too', async () => {
    const r = await cli('server-group', 'list');
    expect(r.code).toBe(0);
    expect(Object.keys(r.json)).toEqual(['server_groups']);
    expect(r.json.server_groups.map((g: { name: string }) => g.name)).toEqual(['db', 'g-affinity', 'g-soft-affinity', 'g-soft-anti-affinity', 'g-anti-affinity']);
    expect((await cli('server-group', 'list', '--all-projects')).json.server_groups).toHaveLength(5);
  });

  it('show by name and by uuid; unknown exits 3', async () => {
    const byName = await cli('server-group', 'show', 'db');
    expect(byName.code).toBe(0);
    expect((await cli('server-group', 'show', byName.json.server_group.id)).json).toEqual(byName.json);
    const nf = await cli('server-group', 'show', 'nope');
    expect(nf.code).toBe(3);
    expect(nf.json.error.code).toBe('SERVER_GROUP_NOT_FOUND');
  });

  it('delete returns {deleted}; afterwards and for unknown groups exit 3', async () => {
    const r = await cli('server-group', 'delete', 'g-affinity');
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ deleted: expect.objectContaining({ name: 'g-affinity', policy: 'affinity', id: expect.stringMatching(UUID) }) });
    expect((await cli('server-group', 'show', 'g-affinity')).code).toBe(3);
    expect((await cli('server-group', 'delete', 'g-affinity')).code).toBe(3);
    expect((await cli('server-group', 'list')).json.server_groups).toHaveLength(4);
  });

  it('human output: list is a table, show prints the rules', async () => {
    const l = await runCli(['server-group', 'list', '--long'], env);
    expect(l.code).toBe(0);
    expect(l.stdout.split('\n')[0]).toMatch(/^ID\s+Name\s+Policy\s+Rules\s+Members\s+Project ID\s+User ID$/);
    expect(l.stdout).toMatch(/\bdb\s+anti-affinity\s+max_server_per_host=2\s+0\s+[0-9a-f]{32}\s+admin$/m);
    const s = await runCli(['server-group', 'show', 'db'], env);
    expect(s.stdout).toMatch(/^rules\s+max_server_per_host=2$/m);
  });
});
