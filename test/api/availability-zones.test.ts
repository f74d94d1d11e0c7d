/** os-availability-zone over REST: zones of the compute services, the internal zone in /detail. */
import * as os from 'node:os';
import { apiCloud, type ApiCloud } from '../helpers/api';
import { fakeCallers, STANDARD_CALLERS } from '../helpers/fake-callers';
import { expectCompute } from '../helpers/tempest';

jest.setTimeout(60000);

const HOST = (n: string, az?: string) => ['host', 'add', n, '--driver', 'fake', '--vcpus', '8', '--memory-mb', '16384', '--disk-gb', '100', ...(az ? ['--az', az] : [])];

describe('os-availability-zone', () => {
  let c: ApiCloud;
  const as = (token: string, mv?: string) => ({ token, ...(mv ? { mv } : {}) });
  beforeAll(async () => {
    c = await apiCloud({ auth: 'keystone', steps: [HOST('h1'), HOST('h2', 'az-east'), HOST('h3', 'az-west'), ['aggregate', 'create', 'empty', '--zone', 'az-empty']] });
    await fakeCallers(c, STANDARD_CALLERS);
    await c.ctx.hosts.setEnabled('h3', false, 'maintenance');
    await c.ctx.hosts.setForcedDown('h2', true);
  });
  afterAll(async () => { await c.close(); });

  it('lists the zones of enabled services as available, all-disabled ones as not, never internal or empty ones', async () => {
    const r = await c.call('GET', '/v2.1/os-availability-zone', as('reader'));
    expectCompute('availability_zone:list_availability_zone_list', r);
    expect(r.body.availabilityZoneInfo).toEqual([
      { zoneName: 'az-east', zoneState: { available: true }, hosts: null },
      { zoneName: 'nova', zoneState: { available: true }, hosts: null },
      { zoneName: 'az-west', zoneState: { available: false }, hosts: null },
    ]);
  });

  it('/detail (admin) shows each enabled service per host, the controller in the internal zone', async () => {
    const r = await c.call('GET', '/v2.1/os-availability-zone/detail', as('admin', '2.79'));
    expectCompute('availability_zone:list_availability_zone_list_detail@2.79', r);
    const zones = Object.fromEntries(r.body.availabilityZoneInfo.map((z: { zoneName: string }) => [z.zoneName, z]));
    expect(Object.keys(zones).sort()).toEqual(['az-east', 'az-west', 'internal', 'nova']);
    expect(zones['az-east'].hosts.h2['nova-compute']).toEqual({ available: false, active: true, updated_at: expect.any(String) });
    expect(zones.nova.hosts.h1['nova-compute']).toMatchObject({ available: true, active: true });
    expect(zones['az-west']).toEqual({ zoneName: 'az-west', zoneState: { available: false }, hosts: null });
    expect(Object.keys(zones.internal.hosts[os.hostname()]).sort()).toEqual(['nova-conductor', 'nova-scheduler']);
  });

  it('/detail is admin-only (403)', async () => {
    expect((await c.call('GET', '/v2.1/os-availability-zone/detail', as('member'))).status).toBe(403);
  });
});
