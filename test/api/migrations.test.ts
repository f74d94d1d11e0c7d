/**
 * os-migrations (fields, links, paging, times and filters per microversion) and
 * /servers/{id}/migrations (live migrations in progress, force-complete, abort).
 */
import { randomUUID } from 'node:crypto';
import { apiCloud, type ApiCloud } from '../helpers/api';
import { fakeCallers, STANDARD_CALLERS } from '../helpers/fake-callers';
import { expectCompute } from '../helpers/tempest';
import type { Server } from '../../src/lib/model/servers';

jest.setTimeout(120000);

const HOST = (h: string) => ['host', 'add', h, '--driver', 'fake', '--vcpus', '8', '--memory-mb', '16896', '--disk-gb', '200'];

describe('migrations', () => {
  let c: ApiCloud;
  let s1: Server;
  let s2: Server;
  let live: { id: number; uuid: string };
  const admin = { token: 'admin' };
  const list = (q = '', mv = '2.92') => c.call('GET', `/v2.1/os-migrations${q}`, { mv, ...admin });

  beforeAll(async () => {
    c = await apiCloud({ auth: 'keystone', steps: [HOST('h1'), HOST('h2'), ['flavor', 'create', 'f1', '--vcpus', '1', '--ram', '512', '--disk', '1'], ['flavor', 'create', 'f2', '--vcpus', '2', '--ram', '1024', '--disk', '2']] });
    await fakeCallers(c, STANDARD_CALLERS);
    const create = async (name: string) => (await c.ctx.servers.create({ name, flavor: 'f1', image: null, project: 'admin', userId: 'admin' }))[0];
    s1 = await create('s1');
    s2 = await create('s2');
    await c.ctx.serverMoves.resize(s1.uuid, undefined, 'f2', 'admin');
    await c.ctx.serverMoves.confirmResize(s1.uuid, undefined, 'admin');
    await c.ctx.serverMoves.migrate(s1.uuid, undefined, {}, 'admin');
    // A live migration caught in flight: the record and the server's task state as the task leaves them mid-way.
    const cell = await c.ctx.servers.cellOf(s2);
    const r = await c.ctx.stores.cell(cell);
    const m = await r.migrations.create({ uuid: randomUUID(), instanceUuid: s2.uuid, migrationType: 'live-migration', status: 'running', sourceCompute: s2.host, sourceNode: s2.node,
      oldInstanceTypeId: null, newInstanceTypeId: null, userId: 'u-live', projectId: s2.projectId }, new Date(Date.now() + 1000).toISOString());
    live = { id: m.id, uuid: m.uuid };
    await r.instances.update(s2.uuid, { taskState: 'migrating' }, new Date().toISOString());
  });
  afterAll(async () => { await c.close(); });

  it('lists every migration at 2.1 without type or uuid', async () => {
    const r = await list('', '2.1');
    expectCompute('v2_1.migrations:list_migrations@2.1', r);
    expect(r.body.migrations).toHaveLength(3);
    expect(r.body.migrations[0]).not.toHaveProperty('migration_type');
    expect(r.body.migrations[0]).not.toHaveProperty('uuid');
  });

  it('2.23 adds migration_type, and links only for a live migration in progress', async () => {
    const r = await list('', '2.23');
    expectCompute('v2_23.migrations:list_migrations@2.23', r);
    expect(r.body.migrations.map((m: any) => m.migration_type)).toEqual(['live-migration', 'migration', 'resize']);
    expect(r.body.migrations[0].links[0].href).toMatch(new RegExp(`/v2.1/servers/${s2.uuid}/migrations/${live.id}$`));
    expect(r.body.migrations[1]).not.toHaveProperty('links');
  });

  it('2.59 adds uuid and pages with limit and marker; 2.80 adds user and project', async () => {
    const all = await list('', '2.59');
    expectCompute('v2_59.migrations:list_migrations@2.59', all);
    const page = await list('?limit=2', '2.59');
    expect(page.body.migrations.map((m: any) => m.uuid)).toEqual(all.body.migrations.slice(0, 2).map((m: any) => m.uuid));
    const next = new URL(page.body.migrations_links[0].href);
    expect([next.pathname, next.searchParams.get('limit'), next.searchParams.get('marker')]).toEqual(['/v2.1/os-migrations', '2', all.body.migrations[1].uuid]);
    const rest = await list(`?limit=2&marker=${all.body.migrations[1].uuid}`, '2.59');
    expect(rest.body.migrations.map((m: any) => m.uuid)).toEqual([all.body.migrations[2].uuid]);
    expect(rest.body).not.toHaveProperty('migrations_links');
    expect((await list(`?marker=${randomUUID()}`, '2.59')).status).toBe(400);
    const v80 = await list(`?project_id=${s2.projectId}&user_id=u-live`, '2.80');
    expect(v80.body.migrations).toEqual([expect.objectContaining({ uuid: live.uuid, user_id: 'u-live', project_id: s2.projectId })]);
  });

  it('filters by host, status, type, instance and source, and by time from 2.59/2.66', async () => {
    expect((await list('?migration_type=resize')).body.migrations).toHaveLength(1);
    expect((await list('?migration_type=nonsense')).body.migrations).toHaveLength(0);
    expect((await list('?status=running')).body.migrations.map((m: any) => m.id)).toEqual([live.id]);
    expect((await list(`?instance_uuid=${s1.uuid}`)).body.migrations).toHaveLength(2);
    expect((await list(`?source_compute=${s2.host}&migration_type=live-migration`)).body.migrations).toHaveLength(1);
    const h = (await list(`?host=${s2.host}`)).body.migrations;
    expect(h.every((m: any) => m.source_compute === s2.host || m.dest_compute === s2.host)).toBe(true);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await list(`?changes-since=${future}`, '2.59')).body.migrations).toHaveLength(0);
    expect((await list(`?changes-before=${future}`, '2.66')).body.migrations).toHaveLength(3);
    expect((await list(`?changes-since=${future}&changes-before=2000-01-01T00:00:00Z`, '2.66')).status).toBe(400);
    expect((await list('?changes-since=yesterday', '2.59')).status).toBe(400);
  });

  it('refuses unknown parameters from 2.59 (changes-before until 2.66), and non-admins', async () => {
    expect((await list('?foo=1', '2.58')).status).toBe(200);
    expect((await list('?foo=1', '2.59')).status).toBe(400);
    expect((await list('?changes-before=2030-01-01T00:00:00Z', '2.65')).status).toBe(400);
    expect((await list('?user_id=x', '2.79')).status).toBe(400);
    expect((await c.call('GET', '/v2.1/os-migrations', { token: 'member' })).status).toBe(403);
  });

  describe('/servers/{id}/migrations', () => {
    const url = (s: Server, rest = '') => `/v2.1/servers/${s.uuid}/migrations${rest}`;

    it('lists and shows the live migration in progress (2.23), with uuid (2.59) and user/project (2.80)', async () => {
      expect((await c.call('GET', url(s2), { mv: '2.22', ...admin })).status).toBe(404);
      const r = await c.call('GET', url(s2), { mv: '2.23', ...admin });
      expect(r.status).toBe(200);
      expect(r.body.migrations).toEqual([expect.objectContaining({ id: live.id, server_uuid: s2.uuid, status: 'running', memory_total_bytes: null })]);
      expect(r.body.migrations[0]).not.toHaveProperty('uuid');
      expect((await c.call('GET', url(s1), { mv: '2.23', ...admin })).body.migrations).toEqual([]);
      const one = await c.call('GET', url(s2, `/${live.id}`), { mv: '2.80', ...admin });
      expect(one.body.migration).toMatchObject({ id: live.id, uuid: live.uuid, user_id: 'u-live', project_id: s2.projectId });
      const resize = (await list(`?instance_uuid=${s1.uuid}`)).body.migrations[0].id;
      expect((await c.call('GET', url(s1, `/${resize}`), { mv: '2.23', ...admin })).status).toBe(404);
      expect((await c.call('GET', url(s2, '/99999'), { mv: '2.23', ...admin })).status).toBe(404);
      expect((await c.call('GET', `/v2.1/servers/${randomUUID()}/migrations`, { mv: '2.23', ...admin })).status).toBe(404);
      expect((await c.call('GET', url(s2), { mv: '2.23', token: 'member' })).status).toBe(403);
    });

    it('force_complete (2.22) is accepted for a running live migration and recorded', async () => {
      const r = await c.call('POST', url(s2, `/${live.id}/action`), { mv: '2.22', body: { force_complete: null }, ...admin });
      expect([r.status, r.text]).toEqual([202, '']);
      const actions = await c.ctx.serverActions.events(s2.uuid, undefined);
      expect(actions.find((a) => a.action === 'live_migration_force_complete')?.requestId).toBe(r.headers['x-openstack-request-id']);
      expect((await c.call('POST', url(s2, `/${live.id}/action`), { mv: '2.21', body: { force_complete: null }, ...admin })).status).toBe(404);
      expect((await c.call('POST', url(s2, `/${live.id}/action`), { mv: '2.22', body: { force_complete: {} }, ...admin })).status).toBe(400);
      expect((await c.call('POST', url(s2, '/99999/action'), { mv: '2.22', body: { force_complete: null }, ...admin })).status).toBe(400);
      expect((await c.call('POST', url(s1, '/1/action'), { mv: '2.22', body: { force_complete: null }, ...admin })).status).toBe(409);
    });

    it('abort (2.24) checks the state, then refuses: a live migration is never cut short', async () => {
      expect((await c.call('DELETE', url(s2, `/${live.id}`), { mv: '2.23', ...admin })).status).toBe(404);
      const r = await c.call('DELETE', url(s2, `/${live.id}`), { mv: '2.24', ...admin });
      expect([r.status, r.body.badRequest.message]).toEqual([400, expect.stringContaining('cannot be aborted')]);
      expect((await c.call('DELETE', url(s2, '/99999'), { mv: '2.24', ...admin })).status).toBe(404);
      expect((await c.call('DELETE', url(s1, '/1'), { mv: '2.24', ...admin })).status).toBe(409);
    });
  });
});
