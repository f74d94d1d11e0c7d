/** os-simple-tenant-usage: hours and resource-hours over a window, detail, paging (2.40), policy. */
import { apiCloud, type ApiCloud } from '../helpers/api';
import { fakeCallers, STANDARD_CALLERS } from '../helpers/fake-callers';
import { expectCompute } from '../helpers/tempest';
import type { Server } from '../../src/lib/model/servers';
import { UsageService } from '../../src/lib/services/usage';

jest.setTimeout(120000);

const H = 3600_000;
const ago = (h: number) => new Date(Date.now() - h * H).toISOString();
const naive = (d: Date) => d.toISOString().slice(0, 19);

describe('os-simple-tenant-usage', () => {
  let c: ApiCloud;
  let ids: Record<string, string>;
  let running: Server;
  let gone: Server;
  let other: Server;
  const admin = { token: 'admin' };

  beforeAll(async () => {
    c = await apiCloud({ auth: 'keystone', steps: [['host', 'add', 'h1', '--driver', 'fake', '--vcpus', '8', '--memory-mb', '16896', '--disk-gb', '200'],
      ['flavor', 'create', 'f1', '--vcpus', '2', '--ram', '512', '--disk', '3']] });
    ids = await fakeCallers(c, STANDARD_CALLERS);
    const create = async (name: string, project: string) => (await c.ctx.servers.create({ name, flavor: 'f1', image: null, project, userId: 'u' }))[0];
    running = await create('running', 'admin');
    gone = await create('gone', 'admin');
    other = await create('other', ids.p1);
    await c.ctx.servers.delete(gone.uuid, undefined, { userId: 'u', force: true });
    const k = c.ctx.stores.cellDb(c.ctx.stores.mainCellUrl()).knex;
    await k('instances').where({ uuid: running.uuid }).update({ launched_at: ago(10), terminated_at: null });
    await k('instances').where({ uuid: gone.uuid }).update({ launched_at: ago(5), terminated_at: ago(2) });
    await k('instances').where({ uuid: other.uuid }).update({ launched_at: ago(30) });
  });
  afterAll(async () => { await c.close(); });

  const start = () => naive(new Date(Date.now() - 24 * H));

  it('totals each project\'s hours × flavor over the window, deleted servers included (2.1)', async () => {
    const r = await c.call('GET', `/v2.1/os-simple-tenant-usage?start=${start()}`, admin);
    expectCompute('v2_1.tenant_usages:list_tenant_usage@2.1', r);
    const mine = r.body.tenant_usages.find((t: any) => t.tenant_id === ids.admin);
    expect(mine.total_hours).toBeCloseTo(13, 2);
    expect(mine.total_vcpus_usage).toBeCloseTo(26, 2);
    expect(mine.total_memory_mb_usage).toBeCloseTo(512 * 13, 0);
    expect(mine.total_local_gb_usage).toBeCloseTo(39, 2);
    expect(mine).not.toHaveProperty('server_usages');
    expect(mine.start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    expect(r.body.tenant_usages.find((t: any) => t.tenant_id === ids.p1).total_hours).toBeCloseTo(24, 2);
  });

  it('detailed=1 lists every server with its state; a window after a deletion leaves it out', async () => {
    const r = await c.call('GET', `/v2.1/os-simple-tenant-usage?start=${start()}&detailed=1`, admin);
    const servers = r.body.tenant_usages.find((t: any) => t.tenant_id === ids.admin).server_usages;
    const byId = Object.fromEntries(servers.map((s: any) => [s.instance_id, s]));
    expect(byId[gone.uuid]).toMatchObject({ state: 'terminated', flavor: 'f1', vcpus: 2, memory_mb: 512, local_gb: 3, tenant_id: ids.admin });
    expect(byId[gone.uuid].hours).toBeCloseTo(3, 2);
    expect(byId[gone.uuid].uptime).toBeGreaterThanOrEqual(3 * 3600 - 5);
    expect(byId[running.uuid]).toMatchObject({ state: 'active', ended_at: null });
    const late = await c.call('GET', `/v2.1/os-simple-tenant-usage?start=${naive(new Date(Date.now() - H))}&detailed=1`, admin);
    expect(late.body.tenant_usages.find((t: any) => t.tenant_id === ids.admin).server_usages.map((s: any) => s.instance_id)).toEqual([running.uuid]);
  });

  it('shows one project (readers of it too); a project with no usage is {}', async () => {
    const r = await c.call('GET', `/v2.1/os-simple-tenant-usage/${ids.p1}?start=${start()}`, { token: 'reader' });
    expectCompute('v2_1.tenant_usages:get_tenant_usage@2.1', r);
    expect(r.body.tenant_usage.server_usages.map((s: any) => s.instance_id)).toEqual([other.uuid]);
    expect((await c.call('GET', `/v2.1/os-simple-tenant-usage/${ids.p2}`, { token: 'other' })).body).toEqual({ tenant_usage: {} });
    expect((await c.call('GET', `/v2.1/os-simple-tenant-usage/${ids.p1}`, { token: 'other' })).status).toBe(403);
    expect((await c.call('GET', '/v2.1/os-simple-tenant-usage', { token: 'member' })).status).toBe(403);
  });

  it('2.40 pages by server with limit and marker', async () => {
    const all = await c.call('GET', `/v2.1/os-simple-tenant-usage?start=${start()}&detailed=1`, { mv: '2.40', ...admin });
    const order = all.body.tenant_usages.flatMap((t: any) => t.server_usages.map((s: any) => s.instance_id));
    expect(order).toHaveLength(3);
    const p1 = await c.call('GET', `/v2.1/os-simple-tenant-usage?start=${start()}&detailed=1&limit=2`, { mv: '2.40', ...admin });
    expect(p1.body.tenant_usages.flatMap((t: any) => t.server_usages.map((s: any) => s.instance_id))).toEqual(order.slice(0, 2));
    const next = new URL(p1.body.tenant_usages_links[0].href);
    expect([next.pathname, next.searchParams.get('marker'), next.searchParams.get('detailed')]).toEqual(['/v2.1/os-simple-tenant-usage', order[1], '1']);
    const p2 = await c.call('GET', `${next.pathname}${next.search}`, { mv: '2.40', ...admin });
    expect(p2.body.tenant_usages.flatMap((t: any) => t.server_usages.map((s: any) => s.instance_id))).toEqual([order[2]]);
    expect(p2.body).not.toHaveProperty('tenant_usages_links');
    const show = await c.call('GET', `/v2.1/os-simple-tenant-usage/${ids.admin}?start=${start()}&limit=1`, { mv: '2.40', ...admin });
    expect(show.body.tenant_usage_links[0].href).toContain(`/v2.1/os-simple-tenant-usage/${ids.admin}?`);
    expect((await c.call('GET', '/v2.1/os-simple-tenant-usage?marker=nope', { mv: '2.40', ...admin })).status).toBe(400);
    expect((await c.call('GET', '/v2.1/os-simple-tenant-usage?limit=1', { mv: '2.39', ...admin })).status).toBe(200);
  });

  it('refuses bad times, a start after the end, and (from 2.75) unknown parameters', async () => {
    expect((await c.call('GET', '/v2.1/os-simple-tenant-usage?start=yesterday', admin)).status).toBe(400);
    expect((await c.call('GET', '/v2.1/os-simple-tenant-usage?start=2020-01-02T00:00:00&end=2020-01-01T00:00:00', admin)).status).toBe(400);
    expect((await c.call('GET', '/v2.1/os-simple-tenant-usage?foo=1', { mv: '2.74', ...admin })).status).toBe(200);
    expect((await c.call('GET', '/v2.1/os-simple-tenant-usage?foo=1', { mv: '2.75', ...admin })).status).toBe(400);
  });

  it('charges only the part of a server\'s life inside the window', () => {
    const w = [new Date('2020-01-01T00:00:00Z'), new Date('2020-01-02T00:00:00Z')] as const;
    expect(UsageService.hours({ launchedAt: '2019-12-31T18:00:00Z', terminatedAt: '2020-01-01T06:00:00Z' }, ...w)).toBe(6);
    expect(UsageService.hours({ launchedAt: '2020-01-01T20:00:00Z', terminatedAt: null }, ...w)).toBe(4);
    expect(UsageService.hours({ launchedAt: null, terminatedAt: null }, ...w)).toBe(0);
    expect(UsageService.hours({ launchedAt: '2019-01-01T00:00:00Z', terminatedAt: '2019-06-01T00:00:00Z' }, ...w)).toBe(0);
  });
});
