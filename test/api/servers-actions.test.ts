/** POST /servers/{id}/action: every action's status, body, microversion options, policy and state errors. */
import { expectCompute } from '../helpers/tempest';
import { serverCloud, type ServerCloud } from './servers-cloud';

jest.setTimeout(120000);

describe('server actions', () => {
  let k: ServerCloud;
  beforeAll(async () => { k = await serverCloud({ steps: [['flavor', 'create', 'f3', '--vcpus', '1', '--ram', '512', '--disk', '1']] }); });
  afterAll(async () => { await k.close(); });

  const act = async (who: string, id: string, body: unknown, mv = '2.1') => {
    const r = await k.as(who, 'POST', `/v2.1/servers/${id}/action`, { mv, body });
    await k.settle();
    return r;
  };
  const status = async (id: string) => (await k.as('admin', 'GET', `/v2.1/servers/${id}`, { mv: '2.3' })).body.server;

  it('os-stop, os-start, reboot: 202 without a body, then the state', async () => {
    const id = await k.boot('member', 'p1');
    for (const [body, want] of [[{ 'os-stop': null }, 'SHUTOFF'], [{ 'os-start': null }, 'ACTIVE'], [{ reboot: { type: 'SOFT' } }, 'ACTIVE'], [{ reboot: { type: 'hard' } }, 'ACTIVE']] as const) {
      const r = await act('member', id, body);
      expect([r.status, r.text]).toEqual([202, '']);
      expectCompute('v2_1.servers:server_actions_common_schema', r);
      expect((await status(id)).status).toBe(want);
    }
    expect((await act('member', id, { reboot: { type: 'WARM' } })).status).toBe(400);
    expect((await act('member', id, { 'os-start': null })).status).toBe(409);
    expect((await act('reader', id, { 'os-stop': null })).status).toBe(403);
    expect((await act('other', id, { 'os-stop': null })).status).toBe(404);
  });

  it('pause/unpause and suspend/resume', async () => {
    const id = await k.boot('member', 'p2');
    for (const [a, want] of [['pause', 'PAUSED'], ['unpause', 'ACTIVE'], ['suspend', 'SUSPENDED'], ['resume', 'ACTIVE']]) {
      expect((await act('member', id, { [a]: null })).status).toBe(202);
      expect((await status(id)).status).toBe(want);
    }
    expect((await act('member', id, { unpause: null })).status).toBe(409);
  });

  it('lock (2.73 reason) blocks actions; an admin lock needs an admin to unlock', async () => {
    const id = await k.boot('member', 'p3');
    expect((await act('member', id, { lock: { locked_reason: 'maintenance' } }, '2.73')).status).toBe(202);
    const s = (await k.as('member', 'GET', `/v2.1/servers/${id}`, { mv: '2.73' })).body.server;
    expect([s.locked, s.locked_reason]).toEqual([true, 'maintenance']);
    expect((await act('member', id, { reboot: { type: 'SOFT' } })).status).toBe(409);
    expect((await act('member', id, { unlock: null })).status).toBe(202);
    expect((await act('member', id, { lock: { locked_reason: 'x' } }, '2.72')).status).toBe(202);
    expect((await k.as('member', 'GET', `/v2.1/servers/${id}`, { mv: '2.73' })).body.server.locked_reason).toBeNull();
    expect((await act('member', id, { lock: { locked_reason: '' } }, '2.73')).status).toBe(400);
    expect((await act('admin', id, { lock: null }, '2.73')).status).toBe(202);
    expect((await act('member', id, { unlock: null })).status).toBe(403);
    expect((await act('admin', id, { unlock: null })).status).toBe(202);
  });

  it('rescue answers 200 with an empty object (no password), unrescue 202', async () => {
    const id = await k.boot('member', 'p4');
    const r = await act('member', id, { rescue: null });
    expect([r.status, r.body]).toEqual([200, {}]);
    expectCompute('v2_1.servers:rescue_server', r);
    expect((await status(id)).status).toBe('RESCUE');
    expect((await act('member', id, { unrescue: null })).status).toBe(202);
    expect((await status(id)).status).toBe('ACTIVE');
    expect((await act('member', id, { rescue: { rescue_image_ref: '6b2d3d7e-9f0e-4c2b-8a53-1f7c2f7d1a01' } })).status).toBe(400);
  });

  it('resize, confirmResize (204) and revertResize (202); bad flavors are 400', async () => {
    const id = await k.boot('member', 'p5');
    expect((await act('member', id, { resize: { flavorRef: 'f2' } })).status).toBe(202);
    expect((await status(id)).status).toBe('VERIFY_RESIZE');
    const c = await act('member', id, { confirmResize: null });
    expect([c.status, c.text]).toEqual([204, '']);
    expectCompute('v2_1.servers:server_actions_confirm_resize', c);
    expect((await status(id))).toMatchObject({ status: 'ACTIVE', flavor: { id: expect.any(String) } });
    expect((await act('member', id, { confirmResize: null })).status).toBe(409);
    expect((await act('member', id, { resize: { flavorRef: 'f1' } })).status).toBe(400);
    expect((await act('member', id, { resize: { flavorRef: 'nope' } })).status).toBe(400);
    expect((await act('member', id, { resize: { flavorRef: 'f2' } })).status).toBe(400);
    const other = await k.boot('member', 'p5b');
    expect((await act('member', other, { resize: { flavorRef: 'http://x/flavors/f3' } })).status).toBe(202);
    expect((await act('member', other, { revertResize: null })).status).toBe(202);
    expect((await k.c.ctx.servers.get(other)).flavor.name).toBe('f1');
  });

  it('migrate (admin; 2.56 host) and os-migrateLive (2.25 auto, force until 2.67)', async () => {
    const id = await k.boot('member', 'p6');
    expect((await act('member', id, { migrate: null })).status).toBe(403);
    const from = (await status(id))['OS-EXT-SRV-ATTR:host'];
    const to = from === 'h1' ? 'h2' : 'h1';
    // Before 2.56 the body is not read: the scheduler picks the (only) other host.
    expect((await act('admin', id, { migrate: { host: 'h9' } }, '2.55')).status).toBe(202);
    expect(await status(id)).toMatchObject({ status: 'VERIFY_RESIZE', 'OS-EXT-SRV-ATTR:host': to });
    await act('admin', id, { confirmResize: null });
    expect((await act('admin', id, { migrate: { host: 'h9' } }, '2.56')).status).toBe(404);
    expect((await act('admin', id, { migrate: { host: to } }, '2.56')).status).toBe(400);
    expect((await act('admin', id, { migrate: { host: from } }, '2.56')).status).toBe(202);
    expect(await status(id)).toMatchObject({ status: 'VERIFY_RESIZE', 'OS-EXT-SRV-ATTR:host': from });
    await act('admin', id, { confirmResize: null });
    expect((await act('admin', id, { 'os-migrateLive': { host: null, block_migration: 'auto' } }, '2.24')).status).toBe(400);
    expect((await act('admin', id, { 'os-migrateLive': { host: null, block_migration: 'auto', force: true } }, '2.30')).status).toBe(400);
    expect((await act('admin', id, { 'os-migrateLive': { host: null, block_migration: 'auto', force: false } }, '2.68')).status).toBe(400);
    expect((await act('admin', id, { 'os-migrateLive': { host: null, block_migration: 'auto' } }, '2.25')).status).toBe(202);
    expect(await status(id)).toMatchObject({ status: 'ACTIVE', 'OS-EXT-SRV-ATTR:host': to });
    expect((await act('admin', id, { 'os-migrateLive': { host: 'h9', block_migration: false, disk_over_commit: false } })).status).toBe(400);
    expect((await act('member', id, { 'os-migrateLive': { host: null, block_migration: 'auto' } }, '2.25')).status).toBe(403);
  });

  it('evacuate answers 200 without a body, only for a server whose host is down', async () => {
    const id = await k.boot('member', 'p7');
    const from = (await status(id))['OS-EXT-SRV-ATTR:host'];
    expect((await act('admin', id, { evacuate: {} }, '2.14')).status).toBe(400);
    expect((await act('admin', id, { evacuate: { host: from } }, '2.14')).status).toBe(400);
    expect((await act('admin', id, { evacuate: { host: 'h9' } }, '2.14')).status).toBe(404);
    expect((await act('admin', id, { evacuate: { onSharedStorage: false } }, '2.14')).status).toBe(400);
    await k.c.ctx.hosts.setForcedDown(from, true);
    try {
      expect((await act('member', id, { evacuate: {} }, '2.14')).status).toBe(403);
      const r = await act('admin', id, { evacuate: { onSharedStorage: 'False' } }, '2.13');
      expect([r.status, r.text]).toEqual([200, '']);
      expectCompute('v2_1.servers:evacuate_server', r);
      expect((await status(id))['OS-EXT-SRV-ATTR:host']).not.toBe(from);
    } finally {
      await k.c.ctx.hosts.setForcedDown(from, false);
    }
  });

  it.each(['2.1', '2.19', '2.26', '2.47', '2.54', '2.57', '2.63', '2.71', '2.73', '2.75', '2.90'])('rebuild at %s answers 202 with the server (rebuild view) and a Location', async (mv) => {
    const id = await k.boot('member', `rb-${mv}`, { metadata: { old: '1' } });
    const r = await act('member', id, { rebuild: { imageRef: k.image, name: `rebuilt-${mv}`, metadata: { fresh: 'yes' } } }, mv);
    expect(r.status).toBe(202);
    expectCompute(`servers:rebuild_server@${mv}`, r, mv);
    expect(r.headers.location).toBe(`http://localhost:80/v2.1/servers/${id}`);
    expect(r.body.server).toMatchObject({ id, name: `rebuilt-${mv}`, metadata: { fresh: 'yes' } });
    expect('key_name' in r.body.server).toBe(['2.54', '2.57', '2.63', '2.71', '2.73', '2.75', '2.90'].includes(mv));
    expect('user_data' in r.body.server).toBe(['2.57', '2.63', '2.71', '2.73', '2.75', '2.90'].includes(mv));
    expect('OS-EXT-STS:vm_state' in r.body.server).toBe(mv === '2.75' || mv === '2.90');
    expect((await status(id)).status).toBe('ACTIVE');
  });

  it('rebuild refuses a missing image (400) and what novalite cannot change', async () => {
    const id = await k.boot('member', 'rb-bad');
    expect((await act('member', id, { rebuild: { imageRef: '6b2d3d7e-9f0e-4c2b-8a53-1f7c2f7d1a01' } })).status).toBe(400);
    expect((await act('member', id, { rebuild: { imageRef: k.image, key_name: 'other' } }, '2.54')).status).toBe(400);
    expect((await act('member', id, { rebuild: { imageRef: k.image, key_name: 'other' } }, '2.53')).status).toBe(400);
    expect((await act('member', id, { rebuild: {} })).status).toBe(400);
  });

  it('shelve offloads at once (shelved_offload_time 0); unshelve takes an AZ from 2.77 and a host (admin) from 2.91', async () => {
    const id = await k.boot('member', 'p8');
    expect((await act('member', id, { shelve: null })).status).toBe(202);
    expect((await status(id)).status).toBe('SHELVED_OFFLOADED');
    expect((await act('member', id, { shelveOffload: null })).status).toBe(403);
    expect((await act('member', id, { unshelve: {} }, '2.77')).status).toBe(400);
    expect((await act('member', id, { unshelve: { host: 'h2' } }, '2.91')).status).toBe(403);
    expect((await act('admin', id, { unshelve: { host: 'h9' } }, '2.91')).status).toBe(400);
    expect((await act('admin', id, { unshelve: { host: 'h2' } }, '2.91')).status).toBe(202);
    expect(await status(id)).toMatchObject({ status: 'ACTIVE', 'OS-EXT-SRV-ATTR:host': 'h2' });
    await act('member', id, { shelve: null });
    expect((await act('member', id, { unshelve: { availability_zone: 'nova' } }, '2.77')).status).toBe(202);
    expect((await status(id)).status).toBe('ACTIVE');
  });

  it('os-resetState and injectNetworkInfo are for admins; os-getConsoleOutput answers 200 with the log', async () => {
    const id = await k.boot('member', 'p9');
    expect((await act('member', id, { 'os-resetState': { state: 'error' } })).status).toBe(403);
    expect((await act('admin', id, { 'os-resetState': { state: 'bogus' } })).status).toBe(400);
    expect((await act('admin', id, { 'os-resetState': { state: 'error' } })).status).toBe(202);
    expect((await status(id)).status).toBe('ERROR');
    await act('admin', id, { 'os-resetState': { state: 'active' } });
    expect((await act('member', id, { injectNetworkInfo: null })).status).toBe(403);
    expect((await act('admin', id, { injectNetworkInfo: null })).status).toBe(202);
    await act('admin', id, { lock: null });
    expect((await act('admin', id, { injectNetworkInfo: null })).status).toBe(409);
    await act('admin', id, { unlock: null });
    const out = await act('member', id, { 'os-getConsoleOutput': { length: 5 } });
    expect(out.status).toBe(200);
    expectCompute('v2_1.servers:get_console_output', out);
    expect((await act('member', id, { 'os-getConsoleOutput': { length: '-1' } })).status).toBe(200);
    expect((await act('member', id, { 'os-getConsoleOutput': { length: -2 } })).status).toBe(400);
    expect((await act('member', id, { 'os-getConsoleOutput': {} })).body).toEqual({ output: expect.any(String) });
  });

  it('forceDelete deletes; restore of a server that is not soft-deleted is 409', async () => {
    const id = await k.boot('member', 'p10');
    expect((await act('member', id, { restore: null })).status).toBe(409);
    expect((await act('member', id, { forceDelete: null })).status).toBe(202);
    expect((await k.as('member', 'GET', `/v2.1/servers/${id}`)).status).toBe(404);
  });

  it('what novalite cannot do answers honestly: snapshots and passwords 501, crash dumps and consoles 400', async () => {
    const id = await k.boot('member', 'p11');
    const img = await act('member', id, { createImage: { name: 'snap' } });
    expect([img.status, img.body.notImplemented?.code]).toEqual([501, 501]);
    expect((await act('reader', id, { createImage: { name: 'snap' } })).status).toBe(403);
    expect((await act('member', id, { createBackup: { name: 'b', backup_type: 'daily', rotation: 1 } })).status).toBe(501);
    expect((await act('member', id, { changePassword: { adminPass: 'x' } })).status).toBe(501);
    expect((await act('member', id, { trigger_crash_dump: null }, '2.17')).status).toBe(400);
    expect((await act('member', id, { trigger_crash_dump: null }, '2.16')).status).toBe(404);
    const vnc = await act('member', id, { 'os-getVNCConsole': { type: 'novnc' } });
    expect([vnc.status, vnc.body.badRequest?.message]).toEqual([400, expect.stringContaining('Unavailable console type novnc')]);
    expect((await act('member', id, { 'os-getVNCConsole': { type: 'novnc' } }, '2.6')).status).toBe(404);
  });

  it('an unknown action, or more than one, is a 400', async () => {
    const id = await k.boot('member', 'p12');
    expect((await act('member', id, { levitate: null })).body.badRequest.message).toBe('There is no such action: levitate');
    expect((await act('member', id, { pause: null, unpause: null })).status).toBe(400);
    expect((await act('member', id, { pause: { extra: 1 } })).status).toBe(202);
    expect((await act('member', id, { 'os-stop': null })).status).toBe(409);
  });
});

describe('soft delete (reclaim_instance_interval)', () => {
  let k: ServerCloud;
  beforeAll(async () => { k = await serverCloud({ config: '[DEFAULT]\nreclaim_instance_interval = 3600\n' }); });
  afterAll(async () => { await k.close(); });

  it('DELETE soft-deletes; restore brings it back; forceDelete removes it', async () => {
    const id = await k.boot('member', 's1');
    expect((await k.as('member', 'DELETE', `/v2.1/servers/${id}`)).status).toBe(204);
    await k.settle();
    expect((await k.as('member', 'GET', `/v2.1/servers/${id}`)).body.server.status).toBe('SOFT_DELETED');
    expect((await k.as('member', 'POST', `/v2.1/servers/${id}/action`, { body: { restore: null } })).status).toBe(202);
    await k.settle();
    expect((await k.as('member', 'GET', `/v2.1/servers/${id}`)).body.server.status).toBe('ACTIVE');
    await k.as('member', 'DELETE', `/v2.1/servers/${id}`);
    await k.settle();
    expect((await k.as('member', 'POST', `/v2.1/servers/${id}/action`, { body: { forceDelete: null } })).status).toBe(202);
    await k.settle();
    expect((await k.as('member', 'GET', `/v2.1/servers/${id}`)).status).toBe(404);
  });
});
