/** GET /limits: absolute limits per microversion, usage, ?tenant_id for admins, strict query from 2.75. */
import { apiCloud, type ApiCloud } from '../helpers/api';
import { fakeCallers, STANDARD_CALLERS } from '../helpers/fake-callers';
import { expectCompute, validateCompute } from '../helpers/tempest';

jest.setTimeout(60000);

describe('limits', () => {
  let c: ApiCloud;
  let ids: Record<string, string>;
  beforeAll(async () => {
    c = await apiCloud({ auth: 'keystone' });
    ids = await fakeCallers(c, STANDARD_CALLERS);
    await c.ctx.quotas.consume(ids.p1, 'member-user', { instances: 2, cores: 3, ram: 1536, server_groups: 1 });
    await c.ctx.quotas.set({ projectId: ids.p1 }, { cores: 7 });
  });
  afterAll(async () => { await c.close(); });

  it.each([
    ['2.1', 'v2_1', ['maxImageMeta', 'maxPersonality', 'maxTotalFloatingIps', 'totalSecurityGroupsUsed']],
    ['2.36', 'v2_36', ['maxImageMeta', 'maxPersonality', 'maxPersonalitySize']],
    ['2.39', 'v2_39', ['maxPersonality', 'maxPersonalitySize']],
    ['2.57', 'v2_57', []],
    ['2.92', 'v2_57', []],
  ])('at %s shows the project\'s limits and usage with that version\'s names', async (mv, schema, legacy) => {
    const r = await c.call('GET', '/v2.1/limits', { mv, token: 'member' });
    expect(r.status).toBe(200);
    expectCompute(`${schema}.limits:get_limit@${mv}`, r);
    expect(r.body.limits.rate).toEqual([]);
    expect(r.body.limits.absolute).toMatchObject({
      maxTotalCores: 7, maxTotalInstances: 10, maxTotalRAMSize: 51200, maxServerMeta: 128, maxTotalKeypairs: 100, maxServerGroups: 10,
      maxServerGroupMembers: 10, totalCoresUsed: 3, totalInstancesUsed: 2, totalRAMUsed: 1536, totalServerGroupsUsed: 1,
    });
    for (const k of ['maxImageMeta', 'maxPersonality', 'maxPersonalitySize', 'maxTotalFloatingIps', 'maxSecurityGroups', 'totalSecurityGroupsUsed']) {
      if (legacy.includes(k)) expect(r.body.limits.absolute).toHaveProperty(k);
    }
    if (!legacy.length) expect(Object.keys(r.body.limits.absolute)).toHaveLength(11);
  });

  it('the oracle notices a key of another microversion', async () => {
    const r = await c.call('GET', '/v2.1/limits', { mv: '2.1', token: 'member' });
    expect(validateCompute('v2_57.limits:get_limit', r.status, r.body).errors.join()).toMatch(/additional/i);
  });

  it('?tenant_id shows another project to admins only', async () => {
    const own = await c.call('GET', '/v2.1/limits', { token: 'admin' });
    expect(own.body.limits.absolute.totalCoresUsed).toBe(0);
    const r = await c.call('GET', `/v2.1/limits?tenant_id=${ids.p1}`, { token: 'admin' });
    expect([r.status, r.body.limits.absolute.totalCoresUsed, r.body.limits.absolute.maxTotalCores]).toEqual([200, 3, 7]);
    const unknown = await c.call('GET', '/v2.1/limits?tenant_id=0123456789abcdef0123456789abcdef', { token: 'admin' });
    expect([unknown.status, unknown.body.limits.absolute.totalCoresUsed]).toEqual([200, 0]);
    expect((await c.call('GET', `/v2.1/limits?tenant_id=${ids.p1}`, { token: 'other' })).status).toBe(403);
    expect((await c.call('GET', '/v2.1/limits', { token: 'reader' })).status).toBe(200);
  });

  it('refuses unknown query parameters from 2.75 only', async () => {
    expect((await c.call('GET', '/v2.1/limits?reserved=1', { mv: '2.74', token: 'member' })).status).toBe(200);
    const r = await c.call('GET', '/v2.1/limits?reserved=1', { mv: '2.75', token: 'member' });
    expect([r.status, r.body.badRequest.code]).toEqual([400, 400]);
  });
});
