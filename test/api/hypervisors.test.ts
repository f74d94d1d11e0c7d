/** os-hypervisors over REST: views per microversion (2.28, 2.33, 2.53, 2.75, 2.88), search, stats, uptime. */
import { apiCloud, type ApiCloud } from '../helpers/api';
import { fakeCallers, STANDARD_CALLERS } from '../helpers/fake-callers';
import { expectCompute, validateCompute } from '../helpers/tempest';
import { novaAfterTempest } from './conformance/nova-after-tempest';

jest.setTimeout(60000);

const HOST = (n: string) => ['host', 'add', n, '--driver', 'fake', '--vcpus', '8', '--memory-mb', '16384', '--disk-gb', '100'];

describe('os-hypervisors', () => {
  let c: ApiCloud;
  let vm: { uuid: string; name: string };
  const as = (token: string, mv?: string) => ({ token, ...(mv ? { mv } : {}) });
  const get = (url: string, mv?: string, token = 'admin') => c.call('GET', `/v2.1${url}`, as(token, mv));
  beforeAll(async () => {
    c = await apiCloud({ auth: 'keystone', steps: [HOST('h1'), HOST('h2'), HOST('x3'), ['flavor', 'create', 'f1', '--vcpus', '2', '--ram', '512', '--disk', '1']] });
    await fakeCallers(c, STANDARD_CALLERS);
    vm = (await c.ctx.servers.create({ name: 'vm1', flavor: 'f1', image: null, project: 'admin', userId: 'u', host: 'h1' }))[0];
    await c.ctx.hosts.setEnabled('h2', false, 'broken fan');
    await c.ctx.hosts.setForcedDown('h2', true);
  });
  afterAll(async () => { await c.close(); });

  it.each(['2.1', '2.28', '2.33', '2.53', '2.88'])('list, detail and show conform at %s', async (mv) => {
    const list = await get('/os-hypervisors', mv);
    expectCompute(`hypervisor:list_search_hypervisors@${mv}`, list);
    expect(list.body.hypervisors.map((h: { hypervisor_hostname: string }) => h.hypervisor_hostname)).toEqual(['h1', 'h2', 'x3']);
    const h2 = list.body.hypervisors[1];
    expect(h2).toMatchObject({ state: 'down', status: 'disabled' });
    expect(typeof h2.id).toBe(mv >= '2.53' ? 'string' : 'number');
    const detail = await get('/os-hypervisors/detail', mv);
    // tempest's last hypervisor schema is 2.53's: 2.88 (counters gone, uptime in) is checked with it widened as Nova changed it
    const nova = (name: string, res: typeof detail) => validateCompute({ client: 'hypervisor', name, mv }, res.status, res.body, res.headers, novaAfterTempest).errors;
    expect(nova('list_hypervisors_detail', detail)).toEqual([]);
    const d1 = detail.body.hypervisors[0];
    expect(d1).toMatchObject({ hypervisor_type: 'fake', service: { host: 'h1', disabled_reason: null } });
    if (mv === '2.88') {
      expect(d1.vcpus).toBeUndefined();
      expect(d1.uptime).toEqual(expect.stringContaining('load average'));
    } else {
      expect(d1).toMatchObject({ vcpus: 8, vcpus_used: 2, memory_mb: 16384, running_vms: 1, free_ram_mb: 16384 - 512 });
      expect(typeof d1.cpu_info).toBe(mv === '2.1' ? 'string' : 'object');
    }
    expect(detail.body.hypervisors[1].service.disabled_reason).toBe('broken fan');
    const show = await get(`/os-hypervisors/${list.body.hypervisors[0].id}`, mv);
    expect(nova('get_hypervisor', show)).toEqual([]);
    if (mv === '2.88') expect(Object.keys(show.body.hypervisor).sort()).toEqual(['host_ip', 'hypervisor_hostname', 'hypervisor_type', 'hypervisor_version', 'id', 'service', 'state', 'status', 'uptime']);
    expect(show.body.hypervisor.hypervisor_hostname).toBe('h1');
  });

  it('pages from 2.33 with hypervisors_links (marker: the id); a bad marker is a 400', async () => {
    const p1 = await get('/os-hypervisors/detail?limit=2', '2.53');
    expect(p1.body.hypervisors).toHaveLength(2);
    const last = p1.body.hypervisors[1].id;
    expect(p1.body.hypervisors_links).toEqual([{ rel: 'next', href: `http://localhost:80/v2.1/os-hypervisors/detail?limit=2&marker=${last}` }]);
    const p2 = await get(`/os-hypervisors/detail?limit=2&marker=${last}`, '2.53');
    expect([p2.body.hypervisors.map((h: { hypervisor_hostname: string }) => h.hypervisor_hostname), p2.body.hypervisors_links]).toEqual([['x3'], undefined]);
    expect((await get('/os-hypervisors?marker=nope', '2.33')).status).toBe(400);
    expect((await get('/os-hypervisors?limit=1', '2.32')).body.hypervisors).toHaveLength(3);
  });

  it('2.53: hypervisor_hostname_pattern and with_servers (servers: [] from 2.75), strict query', async () => {
    const r = await get('/os-hypervisors?hypervisor_hostname_pattern=h&with_servers=true', '2.53');
    expectCompute('hypervisor:list_search_hypervisors@2.53', r);
    expect(r.body.hypervisors.map((h: { hypervisor_hostname: string }) => h.hypervisor_hostname)).toEqual(['h1', 'h2']);
    expect(r.body.hypervisors[0].servers).toEqual([{ name: 'vm1', uuid: vm.uuid }]);
    expect(r.body.hypervisors[1].servers).toBeUndefined();
    expect((await get('/os-hypervisors/detail?hypervisor_hostname_pattern=h2&with_servers=1', '2.75')).body.hypervisors[0].servers).toEqual([]);
    expect((await get('/os-hypervisors?hypervisor_hostname_pattern=zz', '2.53')).status).toBe(404);
    expect((await get('/os-hypervisors?hypervisor_hostname_pattern=h&limit=1', '2.53')).status).toBe(400);
    expect((await get('/os-hypervisors?with_servers=maybe', '2.53')).status).toBe(400);
    expect((await get('/os-hypervisors?foo=1', '2.53')).status).toBe(400);
    expect((await get('/os-hypervisors?foo=1', '2.52')).status).toBe(200);
    const id = r.body.hypervisors[0].id;
    const show = await get(`/os-hypervisors/${id}?with_servers=true`, '2.53');
    expect(show.body.hypervisor.servers).toEqual([{ name: 'vm1', uuid: vm.uuid }]);
  });

  it('ids: uuid from 2.53 (else 400), integer before (else 404)', async () => {
    expect((await get('/os-hypervisors/1234', '2.53')).status).toBe(400);
    expect((await get('/os-hypervisors/2b3c6b1e-1111-4222-8333-444455556666', '2.53')).status).toBe(404);
    expect((await get('/os-hypervisors/abc', '2.52')).status).toBe(404);
    expect((await get('/os-hypervisors/99999', '2.52')).status).toBe(404);
  });

  it('search and servers routes until 2.52 (404 after), statistics and uptime until 2.87', async () => {
    const s = await get('/os-hypervisors/h1/search', '2.52');
    expectCompute('hypervisor:list_search_hypervisors@2.52', s);
    expect(s.body.hypervisors).toHaveLength(1);
    const sv = await get('/os-hypervisors/h/servers', '2.1');
    expectCompute('hypervisor:get_hypervisors_servers@2.1', sv);
    expect(sv.body.hypervisors[0].servers).toEqual([{ name: 'vm1', uuid: vm.uuid }]);
    expect('servers' in sv.body.hypervisors[1]).toBe(false);
    expect((await get('/os-hypervisors/nomatch/search', '2.1')).status).toBe(404);
    expect((await get('/os-hypervisors/h1/search', '2.53')).status).toBe(404);
    const st = await get('/os-hypervisors/statistics', '2.87');
    expectCompute('hypervisor:get_hypervisor_statistics@2.87', st);
    expect(st.body.hypervisor_statistics).toMatchObject({ count: 3, vcpus: 24, vcpus_used: 2, running_vms: 1 });
    expect((await get('/os-hypervisors/statistics', '2.88')).status).toBe(404);
    const id = (await get('/os-hypervisors', '2.1')).body.hypervisors[0].id;
    const up = await get(`/os-hypervisors/${id}/uptime`, '2.1');
    expectCompute('hypervisor:get_hypervisor_uptime@2.1', up);
    expect(up.body.hypervisor).toMatchObject({ id, hypervisor_hostname: 'h1', uptime: expect.stringContaining(' up ') });
  });

  it('is admin-only (403)', async () => {
    for (const url of ['/os-hypervisors', '/os-hypervisors/detail', '/os-hypervisors/statistics']) expect((await get(url, '2.1', 'member')).status).toBe(403);
  });
});
