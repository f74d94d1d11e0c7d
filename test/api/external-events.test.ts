/** os-server-external-events: per-event codes, 207, names per microversion, recording, policy. */
import { randomUUID } from 'node:crypto';
import { apiCloud, type ApiCloud } from '../helpers/api';
import { fakeCallers, STANDARD_CALLERS } from '../helpers/fake-callers';
import { expectCompute } from '../helpers/tempest';
import type { Server } from '../../src/lib/model/servers';

jest.setTimeout(120000);

describe('os-server-external-events', () => {
  let c: ApiCloud;
  let s: Server;
  let hostless: Server;
  const post = (events: unknown[], mv = '2.92', token = 'admin') => c.call('POST', '/v2.1/os-server-external-events', { mv, token, body: { events } });

  beforeAll(async () => {
    c = await apiCloud({ auth: 'keystone', steps: [['host', 'add', 'h1', '--driver', 'fake', '--vcpus', '8', '--memory-mb', '16896', '--disk-gb', '200'],
      ['flavor', 'create', 'f1', '--vcpus', '1', '--ram', '512', '--disk', '1']] });
    await fakeCallers(c, STANDARD_CALLERS);
    s = (await c.ctx.servers.create({ name: 's', flavor: 'f1', image: null, project: 'admin', userId: 'u' }))[0];
    hostless = (await c.ctx.servers.create({ name: 'h', flavor: 'f1', image: null, project: 'admin', userId: 'u' }))[0];
    await c.ctx.stores.cellDb(c.ctx.stores.mainCellUrl()).knex('instances').where({ uuid: hostless.uuid }).update({ host: null, node: null });
  });
  afterAll(async () => { await c.close(); });

  it('accepts events for known servers with 200 and code 200 each', async () => {
    const r = await post([{ name: 'network-vif-plugged', server_uuid: s.uuid, tag: 'port-1', status: 'in-progress' }, { name: 'network-changed', server_uuid: s.uuid }], '2.1');
    expectCompute('v2_1.server_external_events:create@2.1', r);
    expect(r.body.events).toEqual([
      { name: 'network-vif-plugged', server_uuid: s.uuid, tag: 'port-1', status: 'completed', code: 200 },
      { name: 'network-changed', server_uuid: s.uuid, status: 'completed', code: 200 },
    ]);
  });

  it('answers 207 with 404, 400 and 422 for the events it cannot deliver', async () => {
    const r = await post([
      { name: 'network-changed', server_uuid: randomUUID() },
      { name: 'volume-extended', server_uuid: s.uuid },
      { name: 'network-changed', server_uuid: hostless.uuid },
      { name: 'network-vif-deleted', server_uuid: s.uuid, tag: 'p' },
    ]);
    expect(r.status).toBe(207);
    expect(r.body.events.map((e: any) => [e.status, e.code])).toEqual([['failed', 404], ['failed', 400], ['failed', 422], ['completed', 200]]);
  });

  it('knows volume-extended from 2.51, power-update from 2.76 and accelerator-request-bound from 2.82', async () => {
    for (const [name, below, from] of [['volume-extended', '2.50', '2.51'], ['power-update', '2.75', '2.76'], ['accelerator-request-bound', '2.81', '2.82']]) {
      expect([name, (await post([{ name, server_uuid: s.uuid, tag: 'POWER_ON' }], below)).status]).toEqual([name, 400]);
      expect([name, (await post([{ name, server_uuid: s.uuid, tag: 'POWER_ON' }], from)).status]).toEqual([name, 200]);
    }
    expect((await post([{ name: 'volume-reimaged', server_uuid: s.uuid, tag: 'v' }], '2.92')).status).toBe(400);
  });

  it('records volume-extended and power-update as Nova does', async () => {
    await post([{ name: 'volume-extended', server_uuid: s.uuid, tag: 'vol-1' }, { name: 'power-update', server_uuid: s.uuid, tag: 'POWER_OFF' }]);
    const actions = (await c.ctx.serverActions.events(s.uuid, undefined)).map((a) => [a.action, a.events.map((e) => e.event)]);
    expect(actions).toEqual(expect.arrayContaining([['extend_volume', ['compute_extend_volume']], ['stop', ['compute_power_update']]]));
  });

  it('refuses bad bodies and non-admins', async () => {
    expect((await post([])).status).toBe(400);
    expect((await post([{ name: 'network-changed', server_uuid: 'nope' }])).status).toBe(400);
    expect((await post([{ name: 'network-changed', server_uuid: s.uuid, extra: 1 }])).status).toBe(400);
    expect((await post([{ name: 'network-changed', server_uuid: s.uuid, status: 'done' }])).status).toBe(400);
    expect((await post([{ name: 'network-changed', server_uuid: s.uuid }], '2.92', 'member')).status).toBe(403);
  });
});
