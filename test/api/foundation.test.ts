/** The API's own contract: version documents, microversion headers, faults, body limits. */
import { apiCloud, type ApiCloud } from '../helpers/api';

describe('compute API foundation', () => {
  let c: ApiCloud;
  beforeAll(async () => { c = await apiCloud(); });
  afterAll(async () => { await c.close(); });

  it('GET / lists v2.0 and v2.1 with the microversion range', async () => {
    const r = await c.call('GET', '/');
    expect(r.status).toBe(200);
    expect(r.body.versions.map((v: { id: string }) => v.id)).toEqual(['v2.0', 'v2.1']);
    expect(r.body.versions[1]).toMatchObject({ status: 'CURRENT', version: '2.92', min_version: '2.1' });
  });

  it('GET /v2.1 and /v2.1/ describe v2.1 and echo the requested version in both headers, with Vary', async () => {
    for (const url of ['/v2.1', '/v2.1/']) {
      const r = await c.call('GET', url, { mv: '2.60' });
      expect(r.status).toBe(200);
      expect(r.body.version).toMatchObject({ id: 'v2.1', version: '2.92', min_version: '2.1' });
      expect(r.headers['openstack-api-version']).toBe('compute 2.60');
      expect(r.headers['x-openstack-nova-api-version']).toBe('2.60');
      expect(r.headers.vary).toContain('OpenStack-API-Version');
      expect(r.headers['x-openstack-request-id']).toMatch(/^req-[0-9a-f-]{36}$/);
      expect(r.headers['x-compute-request-id']).toBe(r.headers['x-openstack-request-id']);
    }
  });

  it('reads the legacy header alone, treats latest as the maximum and no header as 2.1', async () => {
    expect((await c.call('GET', '/v2.1/', { headers: { 'x-openstack-nova-api-version': '2.25' } })).headers['x-openstack-nova-api-version']).toBe('2.25');
    expect((await c.call('GET', '/v2.1/', { headers: { 'openstack-api-version': 'compute latest' } })).headers['x-openstack-nova-api-version']).toBe('2.92');
    expect((await c.call('GET', '/v2.1/')).headers['x-openstack-nova-api-version']).toBe('2.1');
  });

  it('answers 406 outside the range and 400 for a malformed version, with Nova fault bodies', async () => {
    const high = await c.call('GET', '/v2.1/', { mv: '2.93' });
    expect([high.status, high.body.notAcceptable?.code]).toEqual([406, 406]);
    const low = await c.call('GET', '/v2.1/', { headers: { 'x-openstack-nova-api-version': '1.9' } });
    expect(low.status).toBe(406);
    const bad = await c.call('GET', '/v2.1/', { headers: { 'x-openstack-nova-api-version': 'two' } });
    expect([bad.status, bad.body.badRequest?.code]).toEqual([400, 400]);
  });

  it('answers unknown paths with itemNotFound', async () => {
    const r = await c.call('GET', '/v2.1/no-such-thing');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ itemNotFound: { code: 404, message: expect.any(String) } });
  });
});
