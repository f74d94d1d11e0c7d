/** os-services over REST: the list per microversion, legacy and 2.53 updates, delete. */
import * as os from 'node:os';
import { apiCloud, type ApiCloud } from '../helpers/api';
import { fakeCallers, STANDARD_CALLERS } from '../helpers/fake-callers';
import { expectCompute } from '../helpers/tempest';

jest.setTimeout(60000);

const HOST = (n: string) => ['host', 'add', n, '--driver', 'fake', '--vcpus', '8', '--memory-mb', '16384', '--disk-gb', '100'];
type Svc = { id: number | string; host: string; binary: string; status: string; state: string; forced_down?: boolean; disabled_reason: string | null; zone: string };

describe('os-services', () => {
  let c: ApiCloud;
  const as = (token: string, mv?: string) => ({ token, ...(mv ? { mv } : {}) });
  const put = (id: string | number, body: unknown, mv: string, token = 'admin') => c.call('PUT', `/v2.1/os-services/${id}`, { ...as(token, mv), body });
  const list = async (mv: string, qs = ''): Promise<Svc[]> => (await c.call('GET', `/v2.1/os-services${qs}`, as('admin', mv))).body.services;
  const compute = async (host: string, mv = '2.53') => (await list(mv)).find((s) => s.host === host && s.binary === 'nova-compute')!;
  beforeAll(async () => {
    c = await apiCloud({ auth: 'keystone', steps: [HOST('h1'), HOST('h2'), HOST('busy'), ['flavor', 'create', 'f1', '--vcpus', '1', '--ram', '512', '--disk', '1']] });
    await fakeCallers(c, STANDARD_CALLERS);
    await c.ctx.servers.create({ name: 'vm', flavor: 'f1', image: null, project: 'admin', userId: 'u', host: 'busy' });
  });
  afterAll(async () => { await c.close(); });

  it.each(['2.1', '2.11', '2.53'])('GET /os-services conforms at %s: controller services (internal, up) and one nova-compute per host', async (mv) => {
    const r = await c.call('GET', '/v2.1/os-services', as('admin', mv));
    expectCompute(`services:list_services@${mv}`, r);
    const svcs: Svc[] = r.body.services;
    expect(svcs.map((s) => `${s.binary}@${s.host}`)).toEqual([`nova-scheduler@${os.hostname()}`, `nova-conductor@${os.hostname()}`, 'nova-compute@busy', 'nova-compute@h1', 'nova-compute@h2']);
    expect(svcs[0]).toMatchObject({ zone: 'internal', state: 'up', status: 'enabled' });
    expect(svcs[3]).toMatchObject({ zone: 'nova', state: 'up', status: 'enabled', disabled_reason: null });
    expect('forced_down' in svcs[3]).toBe(mv !== '2.1');
    expect(typeof svcs[3].id).toBe(mv === '2.53' ? 'string' : 'number');
    const f = await c.call('GET', '/v2.1/os-services?host=h1&binary=nova-compute', as('admin', mv));
    expect(f.body.services.map((s: Svc) => s.host)).toEqual(['h1']);
  });

  it('legacy PUT /os-services/{action} (before 2.53): disable, disable-log-reason, enable, force-down (2.11)', async () => {
    const dis = await put('disable', { host: 'h2', binary: 'nova-compute' }, '2.1');
    expectCompute('services:enable_disable_service@2.1', dis);
    expect(dis.body.service).toEqual({ host: 'h2', binary: 'nova-compute', status: 'disabled' });
    const why = await put('disable-log-reason', { host: 'h2', binary: 'nova-compute', disabled_reason: 'fan' }, '2.1');
    expectCompute('services:disable_log_reason@2.1', why);
    expect((await compute('h2', '2.1'))).toMatchObject({ status: 'disabled', disabled_reason: 'fan' });
    const en = await put('enable', { host: 'h2', binary: 'nova-compute' }, '2.52');
    expectCompute('services:enable_disable_service@2.52', en);
    expect((await compute('h2'))).toMatchObject({ status: 'enabled', disabled_reason: null });
    const down = await put('force-down', { host: 'h2', binary: 'nova-compute', forced_down: true }, '2.11');
    expectCompute('v2_11.services:update_forced_down@2.11', down);
    expect(down.body.service).toEqual({ host: 'h2', binary: 'nova-compute', forced_down: true });
    expect(await compute('h2')).toMatchObject({ state: 'down', forced_down: true });
    expect((await put('force-down', { host: 'h2', binary: 'nova-compute', forced_down: 'false' }, '2.52')).status).toBe(200);
    expect((await compute('h2')).state).toBe('up');
  });

  it.each([
    ['an unknown action', 'reboot', { host: 'h2', binary: 'nova-compute' }, '2.1', 404],
    ['force-down before 2.11', 'force-down', { host: 'h2', binary: 'nova-compute' }, '2.10', 404],
    ['forced_down before 2.11', 'disable', { host: 'h2', binary: 'nova-compute', forced_down: true }, '2.10', 400],
    ['no disabled_reason', 'disable-log-reason', { host: 'h2', binary: 'nova-compute' }, '2.1', 400],
    ['no forced_down', 'force-down', { host: 'h2', binary: 'nova-compute' }, '2.11', 400],
    ['another binary', 'disable', { host: 'h2', binary: 'nova-scheduler' }, '2.1', 400],
    ['an unknown host', 'disable', { host: 'nohost', binary: 'nova-compute' }, '2.1', 404],
    ['no host', 'disable', { binary: 'nova-compute' }, '2.1', 400],
    ['an action name from 2.53', 'disable', { status: 'disabled' }, '2.53', 400],
  ])('legacy update refuses %s', async (_what, action, body, mv, status) => {
    expect((await put(action, body, mv)).status).toBe(status);
  });

  it('PUT /os-services/{uuid} (2.53): status with disabled_reason, forced_down; answers the whole service', async () => {
    const id = (await compute('h1')).id;
    const r = await put(id, { status: 'disabled', disabled_reason: 'maintenance' }, '2.53');
    expectCompute('services:update_service@2.53', r);
    expect(r.body.service).toMatchObject({ id, host: 'h1', status: 'disabled', disabled_reason: 'maintenance', forced_down: false });
    const f = await put(id, { forced_down: true }, '2.53');
    expect(f.body.service).toMatchObject({ state: 'down', forced_down: true });
    const back = await put(id, { status: 'enabled', forced_down: 'false' }, '2.53');
    expect(back.body.service).toMatchObject({ status: 'enabled', disabled_reason: null, state: 'up', forced_down: false });
    expect((await put(id, { status: 'enabled', disabled_reason: 'x' }, '2.53')).status).toBe(400);
    expect((await put(id, {}, '2.53')).status).toBe(400);
    expect((await put(id, { forced_down: 'maybe' }, '2.53')).status).toBe(400);
    expect((await put(id, { host: 'h1' }, '2.53')).status).toBe(400);
    expect((await put('not-a-uuid', { status: 'enabled' }, '2.53')).status).toBe(400);
    expect((await put('2b3c6b1e-1111-4222-8333-444455556666', { status: 'enabled' }, '2.53')).status).toBe(404);
    const sched = (await list('2.53')).find((s) => s.binary === 'nova-scheduler')!;
    expect((await put(sched.id, { status: 'disabled' }, '2.53')).status).toBe(400);
  });

  it('DELETE removes a host without servers (204; by id before 2.53, uuid after); 409 with servers', async () => {
    await c.ctx.hosts.add({ name: 'old', driver: 'fake', vcpus: 1, memoryMb: 1024, diskGb: 10 });
    const byId = (await compute('old', '2.52')).id;
    expect((await c.call('DELETE', '/v2.1/os-services/not-a-number', as('admin', '2.52'))).status).toBe(400);
    const d = await c.call('DELETE', `/v2.1/os-services/${byId}`, as('admin', '2.52'));
    expect([d.status, d.text]).toEqual([204, '']);
    expect(await c.ctx.hosts.find('old')).toBeNull();
    expect((await c.call('DELETE', `/v2.1/os-services/${byId}`, as('admin', '2.52'))).status).toBe(404);
    const busy = await c.call('DELETE', `/v2.1/os-services/${(await compute('busy')).id}`, as('admin', '2.53'));
    expect([busy.status, busy.body.conflictingRequest?.code]).toEqual([409, 409]);
    expect((await c.call('DELETE', `/v2.1/os-services/${byId}`, as('admin', '2.53'))).status).toBe(400);
  });

  it('is admin-only (403)', async () => {
    expect((await c.call('GET', '/v2.1/os-services', as('member'))).status).toBe(403);
    expect((await put('disable', { host: 'h2', binary: 'nova-compute' }, '2.1', 'member')).status).toBe(403);
    expect((await c.call('DELETE', '/v2.1/os-services/1', as('reader'))).status).toBe(403);
  });
});
