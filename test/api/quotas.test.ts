/** os-quota-sets and os-quota-class-sets: keys per microversion, usage, update rules, reset, policy. */
import { apiCloud, type ApiCloud } from '../helpers/api';
import { fakeCallers, STANDARD_CALLERS } from '../helpers/fake-callers';
import { expectCompute } from '../helpers/tempest';

jest.setTimeout(60000);

const NETWORK = ['fixed_ips', 'floating_ips', 'security_groups', 'security_group_rules'];
const INJECTED = ['injected_files', 'injected_file_content_bytes', 'injected_file_path_bytes'];

describe('os-quota-sets', () => {
  let c: ApiCloud;
  let ids: Record<string, string>;
  const as = (token: string) => ({ token });
  beforeAll(async () => {
    c = await apiCloud({ auth: 'keystone' });
    ids = await fakeCallers(c, STANDARD_CALLERS);
    await c.ctx.quotas.consume(ids.p1, 'member-user', { instances: 2, cores: 3, ram: 1024 });
  });
  afterAll(async () => { await c.close(); });

  it.each([
    ['2.1', 'v2_1', [...NETWORK, ...INJECTED]],
    ['2.36', 'v2_36', INJECTED],
    ['2.57', 'v2_57', []],
  ])('GET shows the keys of %s (network keys go at 2.36, injected files at 2.57)', async (mv, schema, legacy) => {
    const r = await c.call('GET', `/v2.1/os-quota-sets/${ids.p1}`, { mv, ...as('admin') });
    expect(r.status).toBe(200);
    expectCompute(`${schema}.quotas:get_quota_set@${mv}`, r);
    expect(r.body.quota_set).toMatchObject({ id: ids.p1, instances: 10, cores: 20, ram: 51200, server_groups: 10 });
    for (const k of [...NETWORK, ...INJECTED]) expect(k in r.body.quota_set).toBe(legacy.includes(k));
    const d = await c.call('GET', `/v2.1/os-quota-sets/${ids.p1}/detail`, { mv, ...as('admin') });
    expectCompute(`${schema}.quotas:get_quota_set_details@${mv}`, d);
    expect(d.body.quota_set.cores).toEqual({ limit: 20, in_use: 3, reserved: 0 });
    const def = await c.call('GET', `/v2.1/os-quota-sets/${ids.p1}/defaults`, { mv, ...as('reader') });
    expectCompute(`${schema}.quotas:get_quota_set@${mv}`, def);
  });

  it('PUT updates a project (numeric strings too), answers without id, and a user limit stays within the project', async () => {
    const r = await c.call('PUT', `/v2.1/os-quota-sets/${ids.p1}`, { mv: '2.1', body: { quota_set: { ram: '5120', floating_ips: 20 } }, ...as('admin') });
    expect(r.status).toBe(200);
    expectCompute('v2_1.quotas:update_quota_set@2.1', r);
    expect(r.body.quota_set).toMatchObject({ ram: 5120, floating_ips: 20 });
    expect(r.body.quota_set.id).toBeUndefined();
    const u = await c.call('PUT', `/v2.1/os-quota-sets/${ids.p1}?user_id=u9`, { mv: '2.57', body: { quota_set: { ram: 2048 } }, ...as('admin') });
    expect([u.status, u.body.quota_set.ram]).toEqual([200, 2048]);
    expect((await c.call('GET', `/v2.1/os-quota-sets/${ids.p1}?user_id=u9`, { mv: '2.57', ...as('admin') })).body.quota_set.ram).toBe(2048);
    expect((await c.call('GET', `/v2.1/os-quota-sets/${ids.p1}`, { mv: '2.57', ...as('admin') })).body.quota_set.ram).toBe(5120);
    const over = await c.call('PUT', `/v2.1/os-quota-sets/${ids.p1}?user_id=u9`, { mv: '2.57', body: { quota_set: { ram: 6000 } }, ...as('admin') });
    expect(over.status).toBe(400);
  });

  it('PUT refuses a limit below usage unless forced, and keys the microversion does not know', async () => {
    const low = await c.call('PUT', `/v2.1/os-quota-sets/${ids.p1}`, { mv: '2.57', body: { quota_set: { cores: 2 } }, ...as('admin') });
    expect([low.status, low.body.badRequest.message]).toEqual([400, expect.stringContaining('already used')]);
    const forced = await c.call('PUT', `/v2.1/os-quota-sets/${ids.p1}`, { mv: '2.57', body: { quota_set: { cores: 2, force: 'True' } }, ...as('admin') });
    expect([forced.status, forced.body.quota_set.cores]).toEqual([200, 2]);
    for (const [mv, key] of [['2.36', 'floating_ips'], ['2.57', 'injected_files'], ['2.1', 'bogus']]) {
      const r = await c.call('PUT', `/v2.1/os-quota-sets/${ids.p1}`, { mv, body: { quota_set: { [key]: 1 } }, ...as('admin') });
      expect([mv, r.status]).toEqual([mv, 400]);
    }
    expect((await c.call('PUT', `/v2.1/os-quota-sets/${ids.p1}`, { body: { quota_set: { cores: -2 } }, ...as('admin') })).status).toBe(400);
    expect((await c.call('PUT', `/v2.1/os-quota-sets/${ids.p1}`, { body: { quota: {} }, ...as('admin') })).status).toBe(400);
  });

  it('DELETE (202) resets the project and its users to the defaults', async () => {
    const r = await c.call('DELETE', `/v2.1/os-quota-sets/${ids.p1}`, { mv: '2.57', ...as('admin') });
    expect([r.status, r.text]).toEqual([202, '']);
    expectCompute('v2_57.quotas:delete_quota@2.57', r);
    const after = await c.call('GET', `/v2.1/os-quota-sets/${ids.p1}?user_id=u9`, { mv: '2.57', ...as('admin') });
    expect(after.body.quota_set).toMatchObject({ ram: 51200, cores: 20 });
  });

  it('an unknown project is a 400; unknown query parameters are refused from 2.75', async () => {
    expect((await c.call('GET', '/v2.1/os-quota-sets/nosuchproject', { ...as('admin') })).status).toBe(400);
    expect((await c.call('GET', `/v2.1/os-quota-sets/${ids.p1}?foo=1`, { mv: '2.74', ...as('admin') })).status).toBe(200);
    expect((await c.call('GET', `/v2.1/os-quota-sets/${ids.p1}?foo=1`, { mv: '2.75', ...as('admin') })).status).toBe(400);
  });

  it('a project reads its own quotas only; only admins change them', async () => {
    expect((await c.call('GET', `/v2.1/os-quota-sets/${ids.p1}/detail`, as('reader'))).status).toBe(200);
    expect((await c.call('GET', `/v2.1/os-quota-sets/${ids.p1}`, as('other'))).status).toBe(403);
    expect((await c.call('GET', `/v2.1/os-quota-sets/${ids.p1}/defaults`, as('other'))).status).toBe(200);
    expect((await c.call('PUT', `/v2.1/os-quota-sets/${ids.p1}`, { body: { quota_set: { ram: 1 } }, ...as('member') })).status).toBe(403);
    expect((await c.call('DELETE', `/v2.1/os-quota-sets/${ids.p1}`, as('member'))).status).toBe(403);
    expect((await c.call('GET', `/v2.1/os-quota-sets/${ids.p1}`)).status).toBe(401);
  });
});

describe('os-quota-class-sets', () => {
  let c: ApiCloud;
  beforeAll(async () => { c = await apiCloud({ auth: 'keystone' }); await fakeCallers(c, STANDARD_CALLERS); });
  afterAll(async () => { await c.close(); });

  it.each([['2.1', 'v2_1'], ['2.50', 'v2_50'], ['2.57', 'v2_57']])('GET default at %s', async (mv, schema) => {
    const r = await c.call('GET', '/v2.1/os-quota-class-sets/default', { mv, token: 'admin' });
    expect(r.status).toBe(200);
    expectCompute(`${schema}.quota_classes:get_quota_class_set@${mv}`, r);
    expect(r.body.quota_class_set.id).toBe('default');
    expect('server_groups' in r.body.quota_class_set).toBe(mv !== '2.1');
    expect('floating_ips' in r.body.quota_class_set).toBe(mv === '2.1');
    expect('injected_files' in r.body.quota_class_set).toBe(mv !== '2.57');
  });

  it('PUT default changes every project\'s defaults; the answer has no id', async () => {
    const r = await c.call('PUT', '/v2.1/os-quota-class-sets/default', { mv: '2.50', body: { quota_class_set: { instances: 33, server_groups: 4 } }, token: 'admin' });
    expect(r.status).toBe(200);
    expectCompute('v2_50.quota_classes:update_quota_class_set@2.50', r);
    expect(r.body.quota_class_set).toMatchObject({ instances: 33, server_groups: 4 });
    expect(r.body.quota_class_set.id).toBeUndefined();
    const d = await c.call('GET', '/v2.1/os-quota-sets/p1/defaults', { mv: '2.57', token: 'member' });
    expect(d.body.quota_set).toMatchObject({ instances: 33, server_groups: 4 });
    const other = await c.call('GET', '/v2.1/os-quota-class-sets/gold', { mv: '2.57', token: 'admin' });
    expect(other.body.quota_class_set).toMatchObject({ id: 'gold', instances: 10 });
  });

  it('refuses keys of other microversions and non-admins', async () => {
    expect((await c.call('PUT', '/v2.1/os-quota-class-sets/default', { mv: '2.50', body: { quota_class_set: { floating_ips: 1 } }, token: 'admin' })).status).toBe(400);
    expect((await c.call('PUT', '/v2.1/os-quota-class-sets/default', { mv: '2.1', body: { quota_class_set: { floating_ips: 1 } }, token: 'admin' })).status).toBe(200);
    expect((await c.call('GET', '/v2.1/os-quota-class-sets/default', { token: 'member' })).status).toBe(403);
    expect((await c.call('PUT', '/v2.1/os-quota-class-sets/default', { body: { quota_class_set: { ram: 1 } }, token: 'reader' })).status).toBe(403);
  });
});
