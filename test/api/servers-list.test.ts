/** GET /servers and /servers/detail: filters (who may use which), paging with servers_links, sorting, changes-since/before. */
import { expectCompute } from '../helpers/tempest';
import { serverCloud, type ServerCloud } from './servers-cloud';

jest.setTimeout(120000);

describe('GET /servers', () => {
  let k: ServerCloud;
  const ids: Record<string, string> = {};
  let t0: string;
  beforeAll(async () => {
    k = await serverCloud();
    for (const n of ['alpha', 'beta', 'gamma', 'delta']) ids[n] = await k.boot('member', n, n === 'beta' ? { tags: ['x', 'y'] } : n === 'gamma' ? { tags: ['y'] } : {}, '2.52');
    ids.theirs = await k.boot('other', 'theirs');
    ids.mine = await k.boot('admin', 'mine', { flavorRef: 'f2' });
    await k.as('member', 'POST', `/v2.1/servers/${ids.delta}/action`, { body: { 'os-stop': null } });
    await k.settle();
    t0 = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
  });
  afterAll(async () => { await k.close(); });

  const names = (r: { body: any }) => r.body.servers.map((s: { name: string }) => s.name).sort();

  it.each(['2.1', '2.3', '2.16', '2.26', '2.47', '2.63', '2.73', '2.79'])('lists only the caller\'s project, conforming at %s', async (mv) => {
    const r = await k.as('member', 'GET', '/v2.1/servers', { mv });
    expectCompute(`servers:list_servers@${mv}`, r);
    expect(names(r)).toEqual(['alpha', 'beta', 'delta', 'gamma']);
    const d = await k.as('admin', 'GET', '/v2.1/servers/detail?all_tenants=1', { mv });
    expectCompute(`servers:list_servers_detail@${mv}`, d);
    expect(d.body.servers).toHaveLength(6);
    expect(d.body.servers.some((s: any) => 'server_groups' in s)).toBe(false);
  });

  it('filters by name (a regex), status, flavor and image; a flavor that does not exist lists nothing', async () => {
    expect(names(await k.as('member', 'GET', '/v2.1/servers?name=^[ab]'))).toEqual(['alpha', 'beta']);
    expect(names(await k.as('member', 'GET', '/v2.1/servers/detail?status=SHUTOFF'))).toEqual(['delta']);
    expect(names(await k.as('admin', 'GET', '/v2.1/servers?all_tenants=1&flavor=f2'))).toEqual(['mine']);
    expect(names(await k.as('admin', 'GET', '/v2.1/servers?all_tenants=1&flavor=nope'))).toEqual([]);
    expect(names(await k.as('member', 'GET', `/v2.1/servers?image=${k.image}`))).toHaveLength(4);
  });

  it('an unknown status is an empty list before 2.38 and a 400 from 2.38', async () => {
    expect((await k.as('member', 'GET', '/v2.1/servers?status=BOGUS', { mv: '2.37' })).body).toEqual({ servers: [] });
    expect((await k.as('member', 'GET', '/v2.1/servers?status=BOGUS', { mv: '2.38' })).status).toBe(400);
  });

  it('all_tenants and host are admin-only: a member gets 403 for all_tenants, and host is ignored', async () => {
    expect((await k.as('member', 'GET', '/v2.1/servers?all_tenants=1')).status).toBe(403);
    expect(names(await k.as('member', 'GET', '/v2.1/servers?host=nohost'))).toHaveLength(4);
    expect(names(await k.as('admin', 'GET', '/v2.1/servers?all_tenants=1&host=nohost'))).toEqual([]);
    expect(names(await k.as('admin', 'GET', `/v2.1/servers?all_tenants=1&project_id=${k.ids.p2}`))).toEqual(['theirs']);
    expect(names(await k.as('admin', 'GET', `/v2.1/servers?project_id=${k.ids.p2}`))).toEqual(['mine']);
  });

  it('tag filters from 2.26 (tags, tags-any, not-tags, not-tags-any)', async () => {
    expect(names(await k.as('member', 'GET', '/v2.1/servers?tags=x,y', { mv: '2.26' }))).toEqual(['beta']);
    expect(names(await k.as('member', 'GET', '/v2.1/servers?tags-any=x,y', { mv: '2.26' }))).toEqual(['beta', 'gamma']);
    expect(names(await k.as('member', 'GET', '/v2.1/servers?not-tags=x,y', { mv: '2.26' }))).toEqual(['alpha', 'delta', 'gamma']);
    expect(names(await k.as('member', 'GET', '/v2.1/servers?not-tags-any=y', { mv: '2.26' }))).toEqual(['alpha', 'delta']);
    expect(names(await k.as('member', 'GET', '/v2.1/servers?tags=x', { mv: '2.25' }))).toHaveLength(4);
  });

  it('pages with limit and marker and a servers_links next link that carries the other parameters', async () => {
    const first = await k.as('member', 'GET', '/v2.1/servers/detail?limit=3&sort_key=display_name&sort_dir=asc');
    expect(first.body.servers.map((s: any) => s.name)).toEqual(['alpha', 'beta', 'delta']);
    const next = new URL(first.body.servers_links[0].href);
    expect(first.body.servers_links[0].rel).toBe('next');
    expect(next.pathname).toBe('/v2.1/servers/detail');
    expect(Object.fromEntries(next.searchParams)).toEqual({ limit: '3', sort_key: 'display_name', sort_dir: 'asc', marker: ids.delta });
    const second = await k.as('member', 'GET', `${next.pathname}${next.search}`);
    expect(second.body.servers.map((s: any) => s.name)).toEqual(['gamma']);
    expect(second.body.servers_links).toBeUndefined();
    expect((await k.as('member', 'GET', '/v2.1/servers?marker=6b2d3d7e-9f0e-4c2b-8a53-1f7c2f7d1a01')).status).toBe(400);
    expect((await k.as('member', 'GET', '/v2.1/servers?limit=-1')).status).toBe(400);
  });

  it('sorts by display_name, created_at and updated_at; refuses invalid keys and directions; host sorting is for admins', async () => {
    expect((await k.as('member', 'GET', '/v2.1/servers?sort_key=display_name&sort_dir=desc')).body.servers.map((s: any) => s.name)).toEqual(['gamma', 'delta', 'beta', 'alpha']);
    expect((await k.as('member', 'GET', '/v2.1/servers?sort_key=created_at&sort_dir=asc')).body.servers.map((s: any) => s.name)).toEqual(['alpha', 'beta', 'gamma', 'delta']);
    expect((await k.as('member', 'GET', '/v2.1/servers?sort_key=bogus')).status).toBe(400);
    expect((await k.as('member', 'GET', '/v2.1/servers?sort_dir=up')).status).toBe(400);
    expect((await k.as('member', 'GET', '/v2.1/servers?sort_key=host')).status).toBe(403);
    expect((await k.as('member', 'GET', '/v2.1/servers?sort_key=vcpus', { mv: '2.74' })).status).toBe(200);
    expect((await k.as('member', 'GET', '/v2.1/servers?sort_key=vcpus', { mv: '2.75' })).status).toBe(400);
  });

  it('unknown parameters are dropped before 2.75 and refused from 2.75; joined-table filters are always refused', async () => {
    expect((await k.as('member', 'GET', '/v2.1/servers?bogus=1', { mv: '2.74' })).status).toBe(200);
    expect((await k.as('member', 'GET', '/v2.1/servers?bogus=1', { mv: '2.75' })).status).toBe(400);
    expect((await k.as('member', 'GET', '/v2.1/servers?metadata=x')).status).toBe(400);
  });

  it('changes-since includes deleted servers; changes-before from 2.66; deleted=true is for admins', async () => {
    const gone = await k.boot('member', 'gone');
    await k.as('member', 'DELETE', `/v2.1/servers/${gone}`);
    await k.settle();
    expect(names(await k.as('member', 'GET', '/v2.1/servers'))).not.toContain('gone');
    const since = await k.as('member', 'GET', `/v2.1/servers/detail?changes-since=${encodeURIComponent(t0)}`);
    expect(since.body.servers.find((s: any) => s.name === 'gone')).toMatchObject({ status: 'DELETED' });
    const before = await k.as('member', 'GET', `/v2.1/servers?changes-before=${encodeURIComponent(t0)}`, { mv: '2.66' });
    expect(names(before)).toEqual(['alpha', 'beta', 'delta', 'gamma']);
    expect((await k.as('member', 'GET', `/v2.1/servers?changes-since=${encodeURIComponent(new Date().toISOString())}&changes-before=${encodeURIComponent(t0)}`, { mv: '2.66' })).status).toBe(400);
    expect((await k.as('member', 'GET', '/v2.1/servers?changes-since=yesterday')).status).toBe(400);
    expect(names(await k.as('admin', 'GET', '/v2.1/servers?all_tenants=1&deleted=true'))).toEqual(['gone']);
    expect(names(await k.as('member', 'GET', '/v2.1/servers?deleted=true'))).not.toContain('gone');
  });

  it('readers list; callers without a role in the project cannot', async () => {
    expect((await k.as('reader', 'GET', '/v2.1/servers')).status).toBe(200);
    const r = await k.c.call('GET', '/v2.1/servers');
    expect(r.status).toBe(401);
  });
});
