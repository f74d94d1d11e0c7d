/** os-aggregates over REST: CRUD, actions, zone safety checks, image caching, policy. */
import { apiCloud, type ApiCloud } from '../helpers/api';
import { fakeCallers, STANDARD_CALLERS } from '../helpers/fake-callers';
import { expectCompute } from '../helpers/tempest';

jest.setTimeout(60000);

const HOST = (n: string) => ['host', 'add', n, '--driver', 'fake', '--vcpus', '8', '--memory-mb', '16384', '--disk-gb', '100'];

describe('os-aggregates', () => {
  let c: ApiCloud;
  const as = (token: string, mv?: string) => ({ token, ...(mv ? { mv } : {}) });
  const action = (id: number, body: unknown, mv?: string, token = 'admin') => c.call('POST', `/v2.1/os-aggregates/${id}/action`, { ...as(token, mv), body });
  beforeAll(async () => {
    c = await apiCloud({ auth: 'keystone', steps: [HOST('h1'), HOST('h2'), HOST('busy'), ['flavor', 'create', 'f1', '--vcpus', '1', '--ram', '512', '--disk', '1']] });
    await fakeCallers(c, STANDARD_CALLERS);
    await c.ctx.servers.create({ name: 'vm', flavor: 'f1', image: null, project: 'admin', userId: 'u', host: 'busy' });
  });
  afterAll(async () => { await c.close(); });

  it.each(['2.1', '2.41'])('create (brief), list, show, update and delete conform at %s (uuid from 2.41)', async (mv) => {
    const r = await c.call('POST', '/v2.1/os-aggregates', { ...as('admin', mv), body: { aggregate: { name: `agg-${mv}`, availability_zone: `az-${mv}` } } });
    expect(r.status).toBe(200);
    expectCompute(`aggregates:create_aggregate@${mv}`, r);
    expect(r.body.aggregate).toMatchObject({ name: `agg-${mv}`, availability_zone: `az-${mv}`, deleted: false, deleted_at: null, id: expect.any(Number) });
    expect(r.body.aggregate.hosts).toBeUndefined();
    expect('uuid' in r.body.aggregate).toBe(mv === '2.41');
    const id = r.body.aggregate.id;
    const list = await c.call('GET', '/v2.1/os-aggregates', as('admin', mv));
    expectCompute(`aggregates:list_aggregates@${mv}`, list);
    const show = await c.call('GET', `/v2.1/os-aggregates/${id}`, as('admin', mv));
    expectCompute(`aggregates:get_aggregate@${mv}`, show);
    expect(show.body.aggregate).toMatchObject({ hosts: [], metadata: { availability_zone: `az-${mv}` } });
    const u = await c.call('PUT', `/v2.1/os-aggregates/${id}`, { ...as('admin', mv), body: { aggregate: { name: `renamed-${mv}`, availability_zone: `az2-${mv}` } } });
    expectCompute(`aggregates:update_aggregate@${mv}`, u);
    expect(u.body.aggregate).toMatchObject({ name: `renamed-${mv}`, availability_zone: `az2-${mv}` });
    const d = await c.call('DELETE', `/v2.1/os-aggregates/${id}`, as('admin', mv));
    expect([d.status, d.text]).toEqual([200, '']);
    expectCompute(`aggregates:delete_aggregate@${mv}`, d);
    expect((await c.call('GET', `/v2.1/os-aggregates/${id}`, as('admin', mv))).status).toBe(404);
  });

  it('ids are integers (400 otherwise), names are unique (409), bodies are checked (400)', async () => {
    expect((await c.call('GET', '/v2.1/os-aggregates/abc', as('admin'))).status).toBe(400);
    expect((await c.call('GET', '/v2.1/os-aggregates/999', as('admin'))).status).toBe(404);
    const body = (aggregate: unknown) => ({ ...as('admin'), body: { aggregate } });
    expect((await c.call('POST', '/v2.1/os-aggregates', body({ name: 'dup' }))).status).toBe(200);
    expect((await c.call('POST', '/v2.1/os-aggregates', body({ name: 'dup' }))).status).toBe(409);
    expect((await c.call('POST', '/v2.1/os-aggregates', body({ name: 'x', availability_zone: 'a:b' }))).status).toBe(400);
    expect((await c.call('POST', '/v2.1/os-aggregates', body({ name: 'x', hosts: [] }))).status).toBe(400);
    expect((await c.call('POST', '/v2.1/os-aggregates', body({ availability_zone: 'z' }))).status).toBe(400);
    const id = (await c.call('GET', '/v2.1/os-aggregates', as('admin'))).body.aggregates.find((a: { name: string }) => a.name === 'dup').id;
    expect((await c.call('PUT', `/v2.1/os-aggregates/${id}`, body({}))).status).toBe(400);
    expect((await c.call('PUT', `/v2.1/os-aggregates/${id}`, body({ availability_zone: null }))).status).toBe(400);
  });

  it('add_host, set_metadata (null removes a key), remove_host; a non-empty aggregate cannot be deleted (400)', async () => {
    const a = (await c.call('POST', '/v2.1/os-aggregates', { ...as('admin'), body: { aggregate: { name: 'work', availability_zone: 'zone-w' } } })).body.aggregate;
    const add = await action(a.id, { add_host: { host: 'h1' } }, '2.41');
    expectCompute('aggregates:aggregate_add_remove_host@2.41', add);
    expect(add.body.aggregate.hosts).toEqual(['h1']);
    expect((await action(a.id, { add_host: { host: 'h1' } })).status).toBe(409);
    expect((await action(a.id, { add_host: { host: 'nohost' } })).status).toBe(404);
    const md = await action(a.id, { set_metadata: { metadata: { ssd: 'true', gone: 'x' } } }, '2.41');
    expectCompute('aggregates:aggregate_set_metadata@2.41', md);
    const md2 = await action(a.id, { set_metadata: { metadata: { gone: null, never: null } } });
    expect(md2.body.aggregate.metadata).toEqual({ availability_zone: 'zone-w', ssd: 'true' });
    expect((await action(a.id, { set_metadata: { metadata: { availability_zone: null } } })).status).toBe(400);
    expect((await action(a.id, { set_metadata: { metadata: { 'bad/key': '1' } } })).status).toBe(400);
    expect((await c.call('DELETE', `/v2.1/os-aggregates/${a.id}`, as('admin'))).status).toBe(400);
    // h1 is in zone-w: another aggregate with another zone cannot take it (409), nor move zone-w's hosts (400)
    const b = (await c.call('POST', '/v2.1/os-aggregates', { ...as('admin'), body: { aggregate: { name: 'other', availability_zone: 'zone-o' } } })).body.aggregate;
    expect((await action(b.id, { add_host: { host: 'h1' } })).status).toBe(409);
    expect((await action(b.id, { add_host: { host: 'h2' } })).status).toBe(200);
    const plain = (await c.call('POST', '/v2.1/os-aggregates', { ...as('admin'), body: { aggregate: { name: 'plain' } } })).body.aggregate;
    expect((await action(plain.id, { add_host: { host: 'h1' } })).status).toBe(200);
    expect((await action(plain.id, { add_host: { host: 'h2' } })).status).toBe(200);
    expect((await action(plain.id, { set_metadata: { metadata: { availability_zone: 'zone-w' } } })).status).toBe(400);
    const rm = await action(a.id, { remove_host: { host: 'h1' } });
    expectCompute('aggregates:aggregate_add_remove_host@2.1', rm);
    expect(rm.body.aggregate.hosts).toEqual([]);
    expect((await action(a.id, { remove_host: { host: 'h1' } })).status).toBe(404);
    expect((await action(a.id, { flip: {} })).status).toBe(400);
    expect((await action(a.id, { add_host: { host: 'h2', extra: 1 } })).status).toBe(400);
  });

  it('a zone does not change under servers: update 400, add_host/remove_host 409', async () => {
    const z = (await c.call('POST', '/v2.1/os-aggregates', { ...as('admin'), body: { aggregate: { name: 'busyz' } } })).body.aggregate;
    expect((await action(z.id, { add_host: { host: 'busy' } })).status).toBe(200);
    expect((await c.call('PUT', `/v2.1/os-aggregates/${z.id}`, { ...as('admin'), body: { aggregate: { availability_zone: 'zone-b' } } })).status).toBe(400);
    expect((await action(z.id, { set_metadata: { metadata: { availability_zone: 'zone-b' } } })).status).toBe(400);
    const zoned = (await c.call('POST', '/v2.1/os-aggregates', { ...as('admin'), body: { aggregate: { name: 'zoned', availability_zone: 'zone-z' } } })).body.aggregate;
    const add = await action(zoned.id, { add_host: { host: 'busy' } });
    expect([add.status, add.body.conflictingRequest?.code]).toEqual([409, 409]);
  });

  it('2.81 image caching: 202 for fake hosts, duplicates 400, unknown aggregate 404, 404 before 2.81', async () => {
    const a = (await c.call('POST', '/v2.1/os-aggregates', { ...as('admin'), body: { aggregate: { name: 'cache' } } })).body.aggregate;
    await action(a.id, { add_host: { host: 'h2' } });
    const img = '6f0b8b35-4f6b-4fb8-9f3a-9f1f5a2c0a11';
    const r = await c.call('POST', `/v2.1/os-aggregates/${a.id}/images`, { ...as('admin', '2.81'), body: { cache: [{ id: img }] } });
    expect([r.status, r.text]).toEqual([202, '']);
    expect((await c.call('POST', `/v2.1/os-aggregates/${a.id}/images`, { ...as('admin', '2.81'), body: { cache: [{ id: img }, { id: img }] } })).status).toBe(400);
    expect((await c.call('POST', `/v2.1/os-aggregates/${a.id}/images`, { ...as('admin', '2.81'), body: { cache: [] } })).status).toBe(400);
    expect((await c.call('POST', `/v2.1/os-aggregates/${a.id}/images`, { ...as('admin', '2.81'), body: { cache: [{ id: 'not-a-uuid' }] } })).status).toBe(400);
    expect((await c.call('POST', '/v2.1/os-aggregates/999/images', { ...as('admin', '2.81'), body: { cache: [{ id: img }] } })).status).toBe(404);
    expect((await c.call('POST', `/v2.1/os-aggregates/${a.id}/images`, { ...as('admin', '2.80'), body: { cache: [{ id: img }] } })).status).toBe(404);
    expect((await c.call('POST', `/v2.1/os-aggregates/${a.id}/images`, { ...as('member', '2.81'), body: { cache: [{ id: img }] } })).status).toBe(403);
  });

  it('every aggregate API is admin-only (403)', async () => {
    expect((await c.call('GET', '/v2.1/os-aggregates', as('member'))).status).toBe(403);
    expect((await c.call('GET', '/v2.1/os-aggregates/1', as('reader'))).status).toBe(403);
    expect((await c.call('POST', '/v2.1/os-aggregates', { ...as('member'), body: { aggregate: { name: 'm' } } })).status).toBe(403);
    expect((await action(1, { add_host: { host: 'h1' } }, undefined, 'member')).status).toBe(403);
    expect((await c.call('DELETE', '/v2.1/os-aggregates/1', as('member'))).status).toBe(403);
  });
});
