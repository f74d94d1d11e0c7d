/** os-server-groups over REST: policies vs policy/rules per microversion, scoping, paging. */
import { apiCloud, type ApiCloud } from '../helpers/api';
import { fakeCallers, STANDARD_CALLERS } from '../helpers/fake-callers';
import { expectCompute } from '../helpers/tempest';

jest.setTimeout(60000);

describe('os-server-groups', () => {
  let c: ApiCloud;
  let ids: Record<string, string>;
  const as = (token: string, mv?: string) => ({ token, ...(mv ? { mv } : {}) });
  const create = (token: string, mv: string, server_group: Record<string, unknown>) => c.call('POST', '/v2.1/os-server-groups', { ...as(token, mv), body: { server_group } });
  beforeAll(async () => {
    c = await apiCloud({ auth: 'keystone' });
    ids = await fakeCallers(c, STANDARD_CALLERS);
  });
  afterAll(async () => { await c.close(); });

  it.each([
    ['2.1', { policies: ['affinity'] }, ['policies', 'metadata']],
    ['2.13', { policies: ['anti-affinity'] }, ['policies', 'metadata', 'project_id', 'user_id']],
    ['2.15', { policies: ['soft-affinity'] }, ['policies', 'metadata', 'project_id', 'user_id']],
    ['2.64', { policy: 'anti-affinity', rules: { max_server_per_host: '3' } }, ['policy', 'rules', 'project_id', 'user_id']],
  ])('at %s create (200), show, list and delete (204) conform', async (mv, extra, keys) => {
    const name = `g-${mv}`;
    const r = await create('member', mv, { name, ...extra });
    expect(r.status).toBe(200);
    expectCompute(`server_groups:create_show_server_group@${mv}`, r);
    const g = r.body.server_group;
    expect(Object.keys(g).sort()).toEqual(['id', 'members', 'name', ...keys].sort());
    if (mv === '2.64') expect(g).toMatchObject({ policy: 'anti-affinity', rules: { max_server_per_host: 3 } });
    if (mv === '2.13') expect(g).toMatchObject({ project_id: ids.p1, user_id: 'member-user', policies: ['anti-affinity'], metadata: {} });
    const show = await c.call('GET', `/v2.1/os-server-groups/${g.id}`, as('reader', mv));
    expectCompute(`server_groups:create_show_server_group@${mv}`, show);
    const list = await c.call('GET', '/v2.1/os-server-groups', as('reader', mv));
    expectCompute(`server_groups:list_server_groups@${mv}`, list);
    expect(list.body.server_groups.map((x: { id: string }) => x.id)).toContain(g.id);
    const d = await c.call('DELETE', `/v2.1/os-server-groups/${g.id}`, as('member', mv));
    expect([d.status, d.text]).toEqual([204, '']);
    expectCompute(`server_groups:delete_server_group@${mv}`, d);
    expect((await c.call('GET', `/v2.1/os-server-groups/${g.id}`, as('reader', mv))).status).toBe(404);
  });

  it.each([
    ['soft policies before 2.15', '2.14', { name: 'x', policies: ['soft-affinity'] }],
    ['two policies', '2.1', { name: 'x', policies: ['affinity', 'anti-affinity'] }],
    ['policy before 2.64', '2.63', { name: 'x', policy: 'affinity' }],
    ['policies from 2.64', '2.64', { name: 'x', policies: ['affinity'] }],
    ['rules on affinity', '2.64', { name: 'x', policy: 'affinity', rules: { max_server_per_host: 2 } }],
    ['an unknown rule', '2.64', { name: 'x', policy: 'anti-affinity', rules: { max: 2 } }],
    ['max_server_per_host 0', '2.64', { name: 'x', policy: 'anti-affinity', rules: { max_server_per_host: 0 } }],
    ['no name', '2.64', { policy: 'affinity' }],
  ])('create refuses %s with 400', async (_what, mv, body) => {
    const r = await create('member', mv, body);
    expect([r.status, r.body.badRequest?.code]).toEqual([400, 400]);
  });

  it("a project sees its own groups; all_projects is for admins; another project's group is a 403", async () => {
    const mine = (await create('member', '2.64', { name: 'mine', policy: 'affinity' })).body.server_group;
    const theirs = (await create('other', '2.64', { name: 'theirs', policy: 'affinity' })).body.server_group;
    const names = (r: { body: { server_groups: Array<{ name: string }> } }) => r.body.server_groups.map((g) => g.name).sort();
    expect(names(await c.call('GET', '/v2.1/os-server-groups', as('member', '2.64')))).toEqual(['mine']);
    expect(names(await c.call('GET', '/v2.1/os-server-groups?all_projects=1', as('member', '2.64')))).toEqual(['mine']);
    expect(names(await c.call('GET', '/v2.1/os-server-groups?all_projects=1', as('admin', '2.64')))).toEqual(['mine', 'theirs']);
    expect(names(await c.call('GET', '/v2.1/os-server-groups', as('admin', '2.64')))).toEqual([]);
    expect((await c.call('GET', `/v2.1/os-server-groups/${theirs.id}`, as('member'))).status).toBe(403);
    expect((await c.call('DELETE', `/v2.1/os-server-groups/${theirs.id}`, as('member'))).status).toBe(403);
    expect((await c.call('GET', `/v2.1/os-server-groups/${theirs.id}`, as('admin'))).status).toBe(200);
    expect((await c.call('GET', '/v2.1/os-server-groups/mine', as('member'))).status).toBe(404);
    expect((await create('reader', '2.64', { name: 'r', policy: 'affinity' })).status).toBe(403);
    expect((await c.call('DELETE', `/v2.1/os-server-groups/${mine.id}`, as('reader'))).status).toBe(403);
  });

  it('pages with limit and offset; bad values are 400; unknown parameters 400 from 2.75', async () => {
    for (const n of ['pa', 'pb', 'pc']) expect((await create('other', '2.64', { name: n, policy: 'affinity' })).status).toBe(200);
    const names = async (qs: string) => (await c.call('GET', `/v2.1/os-server-groups${qs}`, as('other', '2.64'))).body.server_groups.map((g: { name: string }) => g.name);
    expect(await names('')).toEqual(['theirs', 'pa', 'pb', 'pc']);
    expect(await names('?limit=2&offset=1')).toEqual(['pa', 'pb']);
    expect(await names('?limit=0&offset=3')).toEqual(['pc']);
    expect((await c.call('GET', '/v2.1/os-server-groups?limit=-1', as('other'))).status).toBe(400);
    expect((await c.call('GET', '/v2.1/os-server-groups?foo=1', as('other', '2.74'))).status).toBe(200);
    expect((await c.call('GET', '/v2.1/os-server-groups?foo=1', as('other', '2.75'))).status).toBe(400);
  });
});
