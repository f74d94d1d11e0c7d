/** The Image v2 subset: versions, create/upload/download, list paging and visibility, patch, delete, policy. */
import { createHash } from 'node:crypto';
import { apiCloud, type ApiCloud } from '../helpers/api';
import { fakeCallers, STANDARD_CALLERS } from '../helpers/fake-callers';

jest.setTimeout(60000);

const DATA = Buffer.from('not really a disk image, but bytes all the same\n'.repeat(100));

describe('Image v2 subset', () => {
  let c: ApiCloud;
  let ids: Record<string, string>;
  const call = (method: string, url: string, token: string, body?: unknown, headers: Record<string, string> = {}) => c.call(method, `/image${url}`, { token, body, headers });
  const put = (id: string, token: string, payload: Buffer, type = 'application/octet-stream') =>
    c.app.inject({ method: 'PUT', url: `/image/v2/images/${id}/file`, headers: { 'x-auth-token': token, 'content-type': type }, payload });
  const create = async (token: string, body: Record<string, unknown>) => {
    const r = await call('POST', '/v2/images', token, { disk_format: 'raw', container_format: 'bare', ...body });
    if (r.status !== 201) throw new Error(`create: ${r.status} ${r.text}`);
    return r.body;
  };

  beforeAll(async () => {
    c = await apiCloud({ auth: 'keystone' });
    ids = await fakeCallers(c, STANDARD_CALLERS);
  });
  afterAll(async () => { await c.close(); });

  it('GET /image is a 300 versions document; /image/v2 and /versions too (200), without a token', async () => {
    const r = await c.call('GET', '/image');
    expect(r.status).toBe(300);
    expect(r.body.versions[0]).toEqual({ id: 'v2.15', status: 'CURRENT', links: [{ rel: 'self', href: 'http://localhost:80/image/v2/' }] });
    expect((await c.call('GET', '/image/v2')).status).toBe(200);
    expect((await c.call('GET', '/image/versions')).body.versions).toHaveLength(16);
  });

  it('creates a queued image (201) with properties as top-level keys, then takes its data (204) and serves it back', async () => {
    const img = await create('member', { name: 'cirros', min_ram: 64, tags: ['t1'], hw_disk_bus: 'virtio' });
    expect(img).toMatchObject({ name: 'cirros', status: 'queued', visibility: 'shared', owner: ids.p1, min_ram: 64, min_disk: 0, protected: false,
      tags: ['t1'], hw_disk_bus: 'virtio', size: null, file: `/v2/images/${img.id}/file`, self: `/v2/images/${img.id}`, schema: '/v2/schemas/image' });
    expect((await call('GET', `/v2/images/${img.id}/file`, 'member')).status).toBe(204);
    const up = await put(img.id, 'member', DATA);
    expect([up.statusCode, up.body]).toEqual([204, '']);
    const shown = await call('GET', `/v2/images/${img.id}`, 'reader');
    expect(shown.body).toMatchObject({ status: 'active', size: DATA.length, checksum: createHash('md5').update(DATA).digest('hex'),
      os_hash_algo: 'sha512', os_hash_value: createHash('sha512').update(DATA).digest('hex') });
    const down = await c.app.inject({ method: 'GET', url: `/image/v2/images/${img.id}/file`, headers: { 'x-auth-token': 'reader' } });
    expect([down.statusCode, down.headers['content-type'], down.headers['content-md5']]).toEqual([200, 'application/octet-stream', shown.body.checksum]);
    expect(down.rawPayload.equals(DATA)).toBe(true);
    expect((await put(img.id, 'member', DATA)).statusCode).toBe(409);
  });

  it('refuses read-only attributes (403), publicizing by members (403), bad formats and non-string properties (400)', async () => {
    expect((await call('POST', '/v2/images', 'member', { name: 'x', size: 5 })).status).toBe(403);
    expect((await call('POST', '/v2/images', 'member', { name: 'x', visibility: 'public' })).status).toBe(403);
    expect((await call('POST', '/v2/images', 'member', { name: 'x', disk_format: 'floppy' })).status).toBe(400);
    expect((await call('POST', '/v2/images', 'member', { name: 'x', hw_disk_bus: 3 })).status).toBe(400);
    expect((await call('POST', '/v2/images', 'member', { name: 'x', owner: ids.p2 })).status).toBe(403);
    expect((await call('POST', '/v2/images', 'reader', { name: 'x' })).status).toBe(403);
    const q = await create('member', { name: 'q' });
    expect((await put(q.id, 'member', Buffer.from('{}'), 'application/json')).statusCode).toBe(415);
    expect((await put(q.id, 'other', DATA)).statusCode).toBe(404);
  });

  it('shows by id only: a name, or another project\'s private image, is a 404', async () => {
    const priv = await create('member', { name: 'secret', visibility: 'private' });
    expect((await call('GET', '/v2/images/secret', 'member')).status).toBe(404);
    expect((await call('GET', `/v2/images/${priv.id}`, 'other')).status).toBe(404);
    expect((await call('GET', `/v2/images/${priv.id}`, 'admin')).status).toBe(200);
  });

  it('lists what a project may see, newest first, with ?name, visibility and limit/marker paging', async () => {
    const pub = await create('admin', { name: 'pub', visibility: 'public' });
    const comm = await create('other', { name: 'comm', visibility: 'community' });
    const names = async (token: string, q = '') => (await call('GET', `/v2/images${q}`, token)).body.images.map((i: any) => i.name);
    expect(await names('other')).toEqual(['pub']);
    expect((await names('member')).sort()).toEqual(['cirros', 'pub', 'q', 'secret']);
    expect(await names('member', '?visibility=community')).toEqual(['comm']);
    expect(await names('member', '?name=cirros')).toEqual(['cirros']);
    expect(await names('admin', `?owner=${ids.p2}&visibility=all`)).toEqual(['comm']);
    const order = (await call('GET', '/v2/images', 'member')).body.images.map((i: any) => i.name);
    const page = await call('GET', '/v2/images?limit=2', 'member');
    expect(page.body).toMatchObject({ first: '/v2/images', schema: '/v2/schemas/images' });
    expect(page.body.images.map((i: any) => i.name)).toEqual(order.slice(0, 2));
    expect(order[0]).toBe(pub.name);
    const next = new URL(page.body.next, 'http://x');
    expect([next.pathname, next.searchParams.get('limit'), next.searchParams.get('marker')]).toEqual(['/v2/images', '2', page.body.images[1].id]);
    const rest = await call('GET', `/v2/images${next.search}`, 'member');
    expect(rest.body.images.map((i: any) => i.name)).toEqual(order.slice(2));
    const end = await call('GET', `/v2/images${new URL(rest.body.next, 'http://x').search}`, 'member');
    expect(end.body.images).toEqual([]);
    expect(end.body).not.toHaveProperty('next');
    expect((await call('GET', '/v2/images?marker=0b0e0c2e-0000-4000-8000-000000000000', 'member')).status).toBe(400);
    expect((await call('GET', '/v2/images?limit=x', 'member')).status).toBe(400);
    expect(comm.owner).toBe(ids.p2);
  });

  it('patches name, properties and tags with a JSON Patch; read-only attributes are 403', async () => {
    const img = await create('member', { name: 'p', tags: ['a', 'b'], k1: 'v1' });
    const type = { 'content-type': 'application/openstack-images-v2.1-json-patch' };
    const r = await c.call('PATCH', `/image/v2/images/${img.id}`, { token: 'member', headers: type, raw: JSON.stringify([
      { op: 'replace', path: '/name', value: 'p2' }, { op: 'add', path: '/k2', value: 'v2' }, { op: 'remove', path: '/k1' },
      { op: 'replace', path: '/tags', value: ['b', 'c'] }, { op: 'replace', path: '/min_disk', value: 2 }]) });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: 'p2', k2: 'v2', min_disk: 2 });
    expect(r.body).not.toHaveProperty('k1');
    expect([...r.body.tags].sort()).toEqual(['b', 'c']);
    const ro = await c.call('PATCH', `/image/v2/images/${img.id}`, { token: 'member', headers: type, raw: JSON.stringify([{ op: 'replace', path: '/status', value: 'active' }]) });
    expect(ro.status).toBe(403);
    const pub = await c.call('PATCH', `/image/v2/images/${img.id}`, { token: 'member', headers: type, raw: JSON.stringify([{ op: 'replace', path: '/visibility', value: 'public' }]) });
    expect(pub.status).toBe(403);
    expect((await c.call('PATCH', `/image/v2/images/${img.id}`, { token: 'member', headers: type, raw: '[{"op":"move","path":"/name"}]' })).status).toBe(400);
  });

  it('deletes (204) for the owner or an admin; protected images and others\' public ones are 403', async () => {
    const mine = await create('member', { name: 'doomed' });
    const prot = await create('member', { name: 'kept', protected: true });
    const pub = (await call('GET', '/v2/images?name=pub', 'other')).body.images[0];
    expect((await call('DELETE', `/v2/images/${mine.id}`, 'reader')).status).toBe(403);
    expect((await call('DELETE', `/v2/images/${pub.id}`, 'other')).status).toBe(403);
    expect((await call('DELETE', `/v2/images/${prot.id}`, 'member')).status).toBe(403);
    const r = await call('DELETE', `/v2/images/${mine.id}`, 'member');
    expect([r.status, r.text]).toEqual([204, '']);
    expect((await call('GET', `/v2/images/${mine.id}`, 'member')).status).toBe(404);
    expect((await call('GET', '/v2/images', 'nobody')).status).toBe(401);
  });
});
