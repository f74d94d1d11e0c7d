/** Flavors over REST: views per microversion, listing rules, manage, extra specs and access. */
import { apiCloud, type ApiCloud } from '../helpers/api';
import { fakeCallers, STANDARD_CALLERS, syncSchemas } from '../helpers/fake-callers';
import { expectCompute } from '../helpers/tempest';

jest.setTimeout(60000);

describe('flavors', () => {
  let c: ApiCloud;
  let ids: Record<string, string>;
  const as = (token: string, mv?: string) => ({ token, ...(mv ? { mv } : {}) });
  beforeAll(async () => {
    c = await apiCloud({ auth: 'keystone' });
    ids = await fakeCallers(c, STANDARD_CALLERS);
    await c.ctx.flavors.create({ id: '1', name: 'm1.tiny', vcpus: 1, ram: 512, disk: 1 });
    await c.ctx.flavors.create({ id: '2', name: 'm1.small', vcpus: 1, ram: 2048, disk: 20, swap: 512, properties: { 'hw:cpu_policy': 'shared' } });
    await c.ctx.flavors.create({ id: '3', name: 'm1.medium', vcpus: 2, ram: 4096, disk: 40, description: 'medium' });
    await c.ctx.flavors.create({ id: 'p1', name: 'private.p1', vcpus: 1, ram: 1024, disk: 1, isPublic: false });
    await c.ctx.flavors.set('p1', { project: ids.p1 });
    await c.ctx.flavors.create({ id: 'p2', name: 'private.p2', vcpus: 1, ram: 1024, disk: 1, isPublic: false });
  });
  afterAll(async () => { await c.close(); });

  const idsOf = (r: { body: { flavors: Array<{ id: string }> } }) => r.body.flavors.map((f) => f.id);

  it.each(['2.1', '2.55', '2.61', '2.75'])('GET /flavors and /flavors/detail conform at %s', async (mv) => {
    const brief = await c.call('GET', '/v2.1/flavors', as('admin', mv));
    expectCompute(`flavors:list_flavors@${mv}`, brief);
    expect(idsOf(brief)).toEqual(['1', '2', '3']);
    expect('description' in brief.body.flavors[0]).toBe(mv !== '2.1');
    expect(brief.body.flavors[0].links).toEqual([
      { rel: 'self', href: 'http://localhost:80/v2.1/flavors/1' }, { rel: 'bookmark', href: 'http://localhost:80/flavors/1' },
    ]);
    const detail = await c.call('GET', '/v2.1/flavors/detail', as('admin', mv));
    expectCompute(`flavors:list_flavors_details@${mv}`, detail);
    const tiny = detail.body.flavors[0];
    expect(tiny).toMatchObject({ id: '1', ram: 512, vcpus: 1, disk: 1, 'OS-FLV-EXT-DATA:ephemeral': 0, rxtx_factor: 1, 'os-flavor-access:is_public': true, 'OS-FLV-DISABLED:disabled': false });
    expect(tiny.swap).toBe(mv === '2.75' ? 0 : '');
    expect(detail.body.flavors[1].swap).toBe(512);
    expect(tiny.extra_specs).toEqual(mv >= '2.61' ? {} : undefined);
    if (mv >= '2.61') expect(detail.body.flavors[1].extra_specs).toEqual({ 'hw:cpu_policy': 'shared' });
  });

  it('is_public: admins see public (+ their access) by default, None for all, false for private; members only their own', async () => {
    expect(idsOf(await c.call('GET', '/v2.1/flavors?is_public=None', as('admin')))).toEqual(['1', '2', '3', 'p1', 'p2']);
    expect(idsOf(await c.call('GET', '/v2.1/flavors?is_public=false', as('admin')))).toEqual(['p1', 'p2']);
    expect((await c.call('GET', '/v2.1/flavors?is_public=maybe', as('admin'))).status).toBe(400);
    expect(idsOf(await c.call('GET', '/v2.1/flavors?is_public=None', as('member')))).toEqual(['1', '2', '3', 'p1']);
    expect(idsOf(await c.call('GET', '/v2.1/flavors/detail', as('other')))).toEqual(['1', '2', '3']);
    expect((await c.call('GET', '/v2.1/flavors/p1', as('member'))).status).toBe(200);
    expect((await c.call('GET', '/v2.1/flavors/p1', as('other'))).status).toBe(404);
  });

  it('filters by minRam/minDisk, sorts, pages with flavors_links and refuses a bad marker or sort key', async () => {
    expect(idsOf(await c.call('GET', '/v2.1/flavors?minRam=2048&minDisk=30', as('reader')))).toEqual(['3']);
    expect((await c.call('GET', '/v2.1/flavors?minRam=lots', as('reader'))).status).toBe(400);
    expect(idsOf(await c.call('GET', '/v2.1/flavors?sort_key=memory_mb&sort_dir=desc', as('reader')))).toEqual(['3', '2', 'p1', '1']);
    expect((await c.call('GET', '/v2.1/flavors?sort_key=bogus', as('reader'))).status).toBe(400);
    const p1 = await c.call('GET', '/v2.1/flavors/detail?limit=2', as('other', '2.61'));
    expectCompute('flavors:list_flavors_details@2.61', p1);
    expect(idsOf(p1)).toEqual(['1', '2']);
    expect(p1.body.flavors_links).toEqual([{ rel: 'next', href: 'http://localhost:80/v2.1/flavors/detail?limit=2&marker=2' }]);
    const p2 = await c.call('GET', '/v2.1/flavors/detail?limit=2&marker=2', as('other'));
    expect([idsOf(p2), p2.body.flavors_links]).toEqual([['3'], undefined]);
    expect((await c.call('GET', '/v2.1/flavors?marker=nope', as('reader'))).status).toBe(400);
    expect((await c.call('GET', '/v2.1/flavors?foo=1', as('reader', '2.74'))).status).toBe(200);
    expect((await c.call('GET', '/v2.1/flavors?foo=1', as('reader', '2.75'))).status).toBe(400);
  });

  it('GET /flavors/{id} answers by id only: a name is a 404 (clients then list)', async () => {
    const r = await c.call('GET', '/v2.1/flavors/3', as('reader', '2.55'));
    expectCompute('flavors:create_update_get_flavor_details@2.55', r);
    expect(r.body.flavor).toMatchObject({ id: '3', name: 'm1.medium', description: 'medium' });
    const byName = await c.call('GET', '/v2.1/flavors/m1.medium', as('reader'));
    expect([byName.status, byName.body.itemNotFound.code]).toEqual([404, 404]);
  });

  it('POST /flavors (admin): id generated or given (numbers too), 2.61 shows empty extra_specs, conflicts are 409', async () => {
    const r = await c.call('POST', '/v2.1/flavors', { ...as('admin', '2.61'), body: { flavor: { name: 'gen', ram: '256', vcpus: 1, disk: 0, description: 'x' } } });
    expect(r.status).toBe(200);
    expectCompute('flavors:create_update_get_flavor_details@2.61', r);
    expect(r.body.flavor).toMatchObject({ name: 'gen', ram: 256, description: 'x', extra_specs: {} });
    expect(r.body.flavor.id).toMatch(/^[0-9a-f-]{36}$/);
    const n = await c.call('POST', '/v2.1/flavors', { ...as('admin'), body: { flavor: { name: 'num', id: 42, ram: 128, vcpus: 1, disk: 0, swap: 0, rxtx_factor: '2.5', 'os-flavor-access:is_public': 'false' } } });
    expectCompute('flavors:create_update_get_flavor_details@2.1', n);
    expect(n.body.flavor).toMatchObject({ id: '42', rxtx_factor: 2.5, 'os-flavor-access:is_public': false });
    expect(n.body.flavor.description).toBeUndefined();
    expect((await c.call('POST', '/v2.1/flavors', { ...as('admin'), body: { flavor: { name: 'num', ram: 1, vcpus: 1, disk: 0 } } })).status).toBe(409);
    expect((await c.call('POST', '/v2.1/flavors', { ...as('admin'), body: { flavor: { name: 'other', id: '42', ram: 1, vcpus: 1, disk: 0 } } })).status).toBe(409);
  });

  it.each([
    ['an unknown key', '2.1', { name: 'b', ram: 1, vcpus: 1, disk: 0, bogus: 1 }],
    ['ram 0', '2.1', { name: 'b', ram: 0, vcpus: 1, disk: 0 }],
    ['a missing disk', '2.1', { name: 'b', ram: 1, vcpus: 1 }],
    ['a description before 2.55', '2.54', { name: 'b', ram: 1, vcpus: 1, disk: 0, description: 'd' }],
    ['a name with a leading space', '2.1', { name: ' b', ram: 1, vcpus: 1, disk: 0 }],
    ['an id with a slash', '2.1', { name: 'b', id: 'a/b', ram: 1, vcpus: 1, disk: 0 }],
    ['rxtx_factor 0', '2.1', { name: 'b', ram: 1, vcpus: 1, disk: 0, rxtx_factor: 0 }],
  ])('POST /flavors refuses %s with 400', async (_what, mv, flavor) => {
    const r = await c.call('POST', '/v2.1/flavors', { ...as('admin', mv), body: { flavor } });
    expect([r.status, r.body.badRequest?.code]).toEqual([400, 400]);
  });

  it('PUT /flavors/{id} updates the description from 2.55 (404 before), DELETE is 202', async () => {
    const f = await c.call('POST', '/v2.1/flavors', { ...as('admin'), body: { flavor: { name: 'doomed', id: 'd1', ram: 1, vcpus: 1, disk: 0 } } });
    expect(f.status).toBe(200);
    expect((await c.call('PUT', '/v2.1/flavors/d1', { ...as('admin', '2.54'), body: { flavor: { description: 'x' } } })).status).toBe(404);
    const u = await c.call('PUT', '/v2.1/flavors/d1', { ...as('admin', '2.75'), body: { flavor: { description: 'now described' } } });
    expectCompute('flavors:create_update_get_flavor_details@2.75', u);
    expect(u.body.flavor.description).toBe('now described');
    expect((await c.call('PUT', '/v2.1/flavors/d1', { ...as('admin', '2.55'), body: { flavor: { description: null } } })).body.flavor.description).toBeNull();
    expect((await c.call('PUT', '/v2.1/flavors/d1', { ...as('admin', '2.55'), body: { flavor: { name: 'x' } } })).status).toBe(400);
    expect((await c.call('PUT', '/v2.1/flavors/nope', { ...as('admin', '2.55'), body: { flavor: { description: 'x' } } })).status).toBe(404);
    const d = await c.call('DELETE', '/v2.1/flavors/d1', as('admin'));
    expect([d.status, d.text]).toEqual([202, '']);
    expectCompute('flavors:delete_flavor', d);
    expect((await c.call('DELETE', '/v2.1/flavors/d1', as('admin'))).status).toBe(404);
  });

  it('members and readers cannot manage flavors (403)', async () => {
    const body = { flavor: { name: 'mine', ram: 1, vcpus: 1, disk: 0 } };
    expect((await c.call('POST', '/v2.1/flavors', { ...as('member'), body })).status).toBe(403);
    expect((await c.call('PUT', '/v2.1/flavors/1', { ...as('member', '2.55'), body: { flavor: { description: 'x' } } })).status).toBe(403);
    expect((await c.call('DELETE', '/v2.1/flavors/1', as('reader'))).status).toBe(403);
  });

  it('os-extra_specs: readers list and show, admins set (numbers echoed, stored as strings), update one key and delete', async () => {
    const set = await c.call('POST', '/v2.1/flavors/1/os-extra_specs', { ...as('admin'), body: { extra_specs: { 'custom:x': 'y' } } });
    expectCompute('flavors:set_get_flavor_extra_specs', set);
    const num = await c.call('POST', '/v2.1/flavors/1/os-extra_specs', { ...as('admin'), body: { extra_specs: { 'hw:numa_nodes': 1 } } });
    expect([num.status, num.body]).toEqual([200, { extra_specs: { 'hw:numa_nodes': 1 } }]);
    const list = await c.call('GET', '/v2.1/flavors/1/os-extra_specs', as('reader'));
    expectCompute('flavors:set_get_flavor_extra_specs', list);
    expect(list.body.extra_specs).toEqual({ 'hw:numa_nodes': '1', 'custom:x': 'y' });
    const one = await c.call('GET', '/v2.1/flavors/1/os-extra_specs/hw:numa_nodes', as('reader'));
    expectCompute('flavors:set_get_flavor_extra_specs_key', one);
    expect(one.body).toEqual({ 'hw:numa_nodes': '1' });
    const put = await c.call('PUT', '/v2.1/flavors/1/os-extra_specs/hw:numa_nodes', { ...as('admin'), body: { 'hw:numa_nodes': '2' } });
    expectCompute('flavors:set_get_flavor_extra_specs_key', put);
    expect((await c.call('PUT', '/v2.1/flavors/1/os-extra_specs/hw:numa_nodes', { ...as('admin'), body: { other: '2' } })).status).toBe(400);
    expect((await c.call('PUT', '/v2.1/flavors/1/os-extra_specs/a', { ...as('admin'), body: { a: '1', b: '2' } })).status).toBe(400);
    const del = await c.call('DELETE', '/v2.1/flavors/1/os-extra_specs/custom:x', as('admin'));
    expect([del.status, del.text]).toEqual([200, '']);
    expectCompute('flavors:unset_flavor_extra_specs', del);
    expect((await c.call('DELETE', '/v2.1/flavors/1/os-extra_specs/custom:x', as('admin'))).status).toBe(404);
    expect((await c.call('GET', '/v2.1/flavors/1/os-extra_specs/custom:x', as('admin'))).status).toBe(404);
    expect((await c.call('GET', '/v2.1/flavors/p2/os-extra_specs', as('member'))).status).toBe(404);
    expect((await c.call('POST', '/v2.1/flavors/1/os-extra_specs', { ...as('member'), body: { extra_specs: { a: 'b' } } })).status).toBe(403);
    expect((await c.call('POST', '/v2.1/flavors/1/os-extra_specs', { ...as('admin'), body: { extra_specs: { 'bad/key': 'b' } } })).status).toBe(400);
  });

  it.each([
    ['hw:cpu_policy', 'sometimes', 400], ['hw:cpu_policy', 'dedicated', 200], ['hw:numa_nodes', '0', 400], ['hw:bogus', '1', 400],
    ['hw_rng:allowed', 'maybe', 400], ['resources:VCPU', '2', 200], ['resources1:CUSTOM_GPU', 'x', 400], ['resources:NOPE', '1', 400],
    ['trait:HW_CPU_X86_AVX', 'required', 200], ['trait:HW_CPU_X86_AVX', 'wanted', 400], ['mystuff:anything', 'goes', 200], ['plain', 'x', 200],
  ])('from 2.86 extra spec %s=%s is %i (before 2.86 always 200)', async (key, value, status) => {
    expect((await c.call('POST', '/v2.1/flavors/3/os-extra_specs', { ...as('admin', '2.86'), body: { extra_specs: { [key]: value } } })).status).toBe(status);
    expect((await c.call('POST', '/v2.1/flavors/3/os-extra_specs', { ...as('admin', '2.85'), body: { extra_specs: { [key]: value } } })).status).toBe(200);
  });

  it('2.61 views leave extra_specs out when the extra-specs index policy denies it', async () => {
    const d = await apiCloud({ auth: 'none', policyOverrides: { 'os_compute_api:os-flavor-extra-specs:index': '!' } });
    try {
      await syncSchemas(d);
      await d.ctx.flavors.create({ id: '9', name: 'n', vcpus: 1, ram: 1, disk: 0, properties: { a: 'b' } });
      const r = await d.call('GET', '/v2.1/flavors/9', { mv: '2.61' });
      expectCompute('flavors:create_update_get_flavor_details@2.61', r);
      expect(r.body.flavor.extra_specs).toBeUndefined();
      expect((await d.call('GET', '/v2.1/flavors/9/os-extra_specs')).status).toBe(403);
    } finally {
      await d.close();
    }
  });

  it('os-flavor-access: list a private flavor, add (409 on a public flavor from 2.7) and remove projects', async () => {
    const list = await c.call('GET', '/v2.1/flavors/p1/os-flavor-access', as('admin'));
    expectCompute('flavors:add_remove_list_flavor_access', list);
    expect(list.body.flavor_access).toEqual([{ flavor_id: 'p1', tenant_id: ids.p1 }]);
    expect((await c.call('GET', '/v2.1/flavors/1/os-flavor-access', as('admin'))).status).toBe(404);
    expect((await c.call('GET', '/v2.1/flavors/p1/os-flavor-access', as('member'))).status).toBe(403);
    const add = await c.call('POST', '/v2.1/flavors/p1/action', { ...as('admin'), body: { addTenantAccess: { tenant: ids.p2 } } });
    expectCompute('flavors:add_remove_list_flavor_access', add);
    expect(add.body.flavor_access.map((a: { tenant_id: string }) => a.tenant_id).sort()).toEqual([ids.p1, ids.p2].sort());
    expect((await c.call('POST', '/v2.1/flavors/p1/action', { ...as('admin'), body: { addTenantAccess: { tenant: ids.p2 } } })).status).toBe(409);
    expect((await c.call('POST', '/v2.1/flavors/p1/action', { ...as('admin'), body: { addTenantAccess: { tenant: 'no-such-project' } } })).status).toBe(400);
    expect((await c.call('POST', '/v2.1/flavors/1/action', { ...as('admin', '2.7'), body: { addTenantAccess: { tenant: ids.p2 } } })).status).toBe(409);
    expect((await c.call('POST', '/v2.1/flavors/1/action', { ...as('admin', '2.6'), body: { addTenantAccess: { tenant: ids.p2 } } })).status).toBe(200);
    const rm = await c.call('POST', '/v2.1/flavors/p1/action', { ...as('admin'), body: { removeTenantAccess: { tenant: ids.p2 } } });
    expectCompute('flavors:add_remove_list_flavor_access', rm);
    expect(rm.body.flavor_access).toEqual([{ flavor_id: 'p1', tenant_id: ids.p1 }]);
    expect((await c.call('POST', '/v2.1/flavors/p1/action', { ...as('admin'), body: { removeTenantAccess: { tenant: ids.p2 } } })).status).toBe(404);
    expect((await c.call('POST', '/v2.1/flavors/p1/action', { ...as('admin'), body: { removeTenantAccess: { tenant: ids.p2, x: 1 } } })).status).toBe(400);
    expect((await c.call('POST', '/v2.1/flavors/p1/action', { ...as('admin'), body: { shareWith: {} } })).status).toBe(400);
    expect((await c.call('POST', '/v2.1/flavors/p1/action', { ...as('member'), body: { addTenantAccess: { tenant: ids.p2 } } })).status).toBe(403);
  });
});
