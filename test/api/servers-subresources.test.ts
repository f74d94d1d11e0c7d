/** Server metadata, tags (2.26), ips, os-instance-actions (2.21, 2.51, 2.58, 2.62, 2.84), diagnostics (2.48) and remote consoles (2.6). */
import { expectCompute } from '../helpers/tempest';
import { serverCloud, type ServerCloud } from './servers-cloud';

jest.setTimeout(120000);

describe('server subresources', () => {
  let k: ServerCloud;
  let id: string;
  beforeAll(async () => {
    k = await serverCloud();
    id = await k.boot('member', 'web1', { metadata: { a: '1', b: '2' } });
  });
  afterAll(async () => { await k.close(); });

  const url = (tail = '') => `/v2.1/servers/${id}${tail}`;

  it('metadata: list, merge, replace, one item, delete; tempest shapes', async () => {
    const list = await k.as('reader', 'GET', url('/metadata'));
    expectCompute('v2_1.servers:list_server_metadata', list);
    expect(list.body).toEqual({ metadata: { a: '1', b: '2' } });
    const merged = await k.as('member', 'POST', url('/metadata'), { body: { metadata: { c: '3', a: 'one' } } });
    expectCompute('v2_1.servers:update_server_metadata', merged);
    expect(merged.body.metadata).toEqual({ a: 'one', b: '2', c: '3' });
    const replaced = await k.as('member', 'PUT', url('/metadata'), { body: { metadata: { z: '26' } } });
    expectCompute('v2_1.servers:set_server_metadata', replaced);
    expect(replaced.body.metadata).toEqual({ z: '26' });
    const item = await k.as('member', 'PUT', url('/metadata/y'), { body: { meta: { y: '25' } } });
    expectCompute('v2_1.servers:set_show_server_metadata_item', item);
    expect(item.body).toEqual({ meta: { y: '25' } });
    expect((await k.as('member', 'GET', url('/metadata/y'))).body).toEqual({ meta: { y: '25' } });
    const del = await k.as('member', 'DELETE', url('/metadata/y'));
    expectCompute('v2_1.servers:delete_server_metadata_item', del);
    expect((await k.as('member', 'GET', url('/metadata/y'))).status).toBe(404);
    expect((await k.as('member', 'DELETE', url('/metadata/y'))).status).toBe(404);
  });

  it('metadata errors: URI mismatch and bad keys 400, readers 403, other projects 404, locked 409, quota 403', async () => {
    expect((await k.as('member', 'PUT', url('/metadata/x'), { body: { meta: { y: '1' } } })).body.badRequest.message).toBe('Request body and URI mismatch');
    expect((await k.as('member', 'PUT', url('/metadata/x'), { body: { meta: { x: '1', y: '2' } } })).status).toBe(400);
    expect((await k.as('member', 'POST', url('/metadata'), { body: { metadata: { 'bad/key': '1' } } })).status).toBe(400);
    expect((await k.as('reader', 'POST', url('/metadata'), { body: { metadata: { k: 'v' } } })).status).toBe(403);
    expect((await k.as('other', 'GET', url('/metadata'))).status).toBe(404);
    await k.as('member', 'POST', url('/action'), { body: { lock: null } });
    expect((await k.as('member', 'POST', url('/metadata'), { body: { metadata: { k: 'v' } } })).status).toBe(409);
    await k.as('member', 'POST', url('/action'), { body: { unlock: null } });
    const many = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'v']));
    expect((await k.as('member', 'PUT', url('/metadata'), { body: { metadata: many } })).status).toBe(403);
  });

  it('tags from 2.26: replace, add (201, then 204), check, delete, delete all; 404 before 2.26', async () => {
    expect((await k.as('member', 'GET', url('/tags'), { mv: '2.25' })).status).toBe(404);
    const put = await k.as('member', 'PUT', url('/tags'), { mv: '2.26', body: { tags: ['a', 'b'] } });
    expectCompute('servers:update_all_tags@2.26', put);
    expect(put.body).toEqual({ tags: ['a', 'b'] });
    const add = await k.as('member', 'PUT', url('/tags/c'), { mv: '2.26' });
    expectCompute('servers:update_tag@2.26', add);
    expect([add.status, add.headers.location]).toEqual([201, `http://localhost:80/v2.1/servers/${id}/tags/c`]);
    expect((await k.as('member', 'PUT', url('/tags/c'), { mv: '2.26' })).status).toBe(204);
    const list = await k.as('reader', 'GET', url('/tags'), { mv: '2.26' });
    expectCompute('servers:list_tags@2.26', list);
    expect(list.body.tags).toEqual(['a', 'b', 'c']);
    expectCompute('servers:check_tag_existence@2.26', await k.as('reader', 'GET', url('/tags/c'), { mv: '2.26' }));
    expect((await k.as('reader', 'GET', url('/tags/zz'), { mv: '2.26' })).status).toBe(404);
    expectCompute('servers:delete_tag@2.26', await k.as('member', 'DELETE', url('/tags/c'), { mv: '2.26' }));
    expect((await k.as('member', 'DELETE', url('/tags/c'), { mv: '2.26' })).status).toBe(404);
    expect((await k.as('member', 'GET', url(''), { mv: '2.26' })).body.server.tags).toEqual(['a', 'b']);
    expectCompute('servers:delete_all_tags@2.26', await k.as('member', 'DELETE', url('/tags'), { mv: '2.26' }));
    expect((await k.as('member', 'GET', url('/tags'), { mv: '2.26' })).body.tags).toEqual([]);
  });

  it('tag errors: bad tags 400, too many 400, readers 403, a stopped server is fine but a shelved one 409', async () => {
    expect((await k.as('member', 'PUT', url('/tags'), { mv: '2.26', body: { tags: ['a,b'] } })).status).toBe(400);
    expect((await k.as('member', 'PUT', url('/tags'), { mv: '2.26', body: { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) } })).status).toBe(400);
    expect((await k.as('member', 'PUT', url(`/tags/${'x'.repeat(61)}`), { mv: '2.26' })).status).toBe(400);
    expect((await k.as('reader', 'PUT', url('/tags/r'), { mv: '2.26' })).status).toBe(403);
    const shelved = await k.boot('member', 'shelved');
    await k.as('member', 'POST', `/v2.1/servers/${shelved}/action`, { body: { shelve: null } });
    await k.settle();
    expect((await k.as('member', 'PUT', `/v2.1/servers/${shelved}/tags/x`, { mv: '2.26' })).status).toBe(409);
  });

  it('ips: the addresses the host reported, by network; 404 for a network the server is not on', async () => {
    expect((await k.as('reader', 'GET', url('/ips'))).body).toEqual({ addresses: {} });
    const s = await k.c.ctx.servers.get(id);
    const repos = await k.c.ctx.stores.cell(await k.c.ctx.servers.cellOf(s));
    const doc = { default: [{ version: 4, addr: '192.168.122.10', 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': '52:54:00:12:34:56' }] };
    await repos.instances.setMetadata(id, { addresses: JSON.stringify(doc) }, new Date().toISOString(), true);
    const all = await k.as('reader', 'GET', url('/ips'));
    expectCompute('v2_1.servers:list_addresses', all);
    expect(all.body).toEqual({ addresses: { default: [{ version: 4, addr: '192.168.122.10' }] } });
    const one = await k.as('reader', 'GET', url('/ips/default'));
    expectCompute('v2_1.servers:list_addresses_by_network', one);
    expect((await k.as('reader', 'GET', url('/ips/other'))).status).toBe(404);
    expect((await k.as('member', 'GET', url(''), { mv: '2.1' })).body.server.addresses.default[0]['OS-EXT-IPS-MAC:mac_addr']).toBe('52:54:00:12:34:56');
    expect((await k.as('member', 'GET', `/v2.1/servers/detail?ip=${encodeURIComponent('^192\\.168\\.122\\.')}`)).body.servers.map((x: any) => x.id)).toEqual([id]);
  });

  it('instance actions: list and show; events for owners from 2.51, without traceback; host for admins and hostId from 2.62', async () => {
    const list = await k.as('reader', 'GET', url('/os-instance-actions'));
    expectCompute('v2_1.servers:list_instance_actions', list);
    const create = list.body.instanceActions.find((a: any) => a.action === 'create');
    expect(create).toMatchObject({ instance_uuid: id, project_id: k.ids.p1, user_id: 'member-user' });
    const path = url(`/os-instance-actions/${create.request_id}`);
    expect((await k.as('member', 'GET', path, { mv: '2.50' })).body.instanceAction.events).toBeUndefined();
    const owner = await k.as('member', 'GET', path, { mv: '2.51' });
    expectCompute('servers:show_instance_action@2.51', owner);
    expect(owner.body.instanceAction.events[0]).not.toHaveProperty('traceback');
    const admin = await k.as('admin', 'GET', path, { mv: '2.62' });
    expectCompute('servers:show_instance_action@2.62', admin);
    expect(admin.body.instanceAction.events.find((e: any) => e.host)).toMatchObject({ host: expect.stringMatching(/^h[12]$/), hostId: expect.any(String), traceback: null });
    const member62 = await k.as('member', 'GET', path, { mv: '2.62' });
    expect(member62.body.instanceAction.events[0]).not.toHaveProperty('host');
    expect(member62.body.instanceAction.events[0]).toHaveProperty('hostId');
    expect((await k.as('admin', 'GET', path, { mv: '2.84' })).body.instanceAction.events[0]).toHaveProperty('details');
    expect((await k.as('member', 'GET', url('/os-instance-actions/req-nope'))).status).toBe(404);
    expect((await k.as('other', 'GET', url('/os-instance-actions'))).status).toBe(404);
  });

  it('instance actions from 2.58: updated_at, limit/marker with a next link, changes-since; 2.21 lists those of a deleted server', async () => {
    const sid = await k.boot('member', 'acts');
    for (const a of ['os-stop', 'os-start', 'os-stop']) { await k.as('member', 'POST', `/v2.1/servers/${sid}/action`, { body: { [a]: null } }); await k.settle(); }
    const page = await k.as('member', 'GET', `/v2.1/servers/${sid}/os-instance-actions?limit=2`, { mv: '2.58' });
    // Tempest has no 2.58 list schema; Nova's index_response_v258 adds updated_at and the links.
    for (const a of page.body.instanceActions) expect(Object.keys(a).sort()).toEqual(['action', 'instance_uuid', 'message', 'project_id', 'request_id', 'start_time', 'updated_at', 'user_id']);
    expect(page.body.instanceActions.map((a: any) => a.action)).toEqual(['stop', 'start']);
    expect(page.body.instanceActions[0].updated_at).toEqual(expect.any(String));
    const next = new URL(page.body.links[0].href);
    expect(next.searchParams.get('marker')).toBe(page.body.instanceActions[1].request_id);
    const rest = await k.as('member', 'GET', `${next.pathname}${next.search}`, { mv: '2.58' });
    expect(rest.body.instanceActions.map((a: any) => a.action)).toEqual(['stop', 'create']);
    expect((await k.as('member', 'GET', `/v2.1/servers/${sid}/os-instance-actions?marker=nope`, { mv: '2.58' })).status).toBe(400);
    expect((await k.as('member', 'GET', `/v2.1/servers/${sid}/os-instance-actions?bogus=1`, { mv: '2.58' })).status).toBe(400);
    expect((await k.as('member', 'GET', `/v2.1/servers/${sid}/os-instance-actions?changes-since=2999-01-01T00:00:00Z`, { mv: '2.58' })).body.instanceActions).toEqual([]);
    await k.as('member', 'DELETE', `/v2.1/servers/${sid}`);
    await k.settle();
    expect((await k.as('member', 'GET', `/v2.1/servers/${sid}/os-instance-actions`, { mv: '2.20' })).status).toBe(404);
    expect((await k.as('member', 'GET', `/v2.1/servers/${sid}/os-instance-actions`, { mv: '2.21' })).body.instanceActions[0].action).toBe('delete');
  });

  it('diagnostics are admin-only; 2.48 gives the standard shape', async () => {
    expect((await k.as('member', 'GET', url('/diagnostics'))).status).toBe(403);
    const old = await k.as('admin', 'GET', url('/diagnostics'), { mv: '2.47' });
    expectCompute('servers:show_server_diagnostics@2.47', old);
    const d = await k.as('admin', 'GET', url('/diagnostics'), { mv: '2.48' });
    expectCompute('servers:show_server_diagnostics@2.48', d);
    expect(d.body).toMatchObject({ state: 'running', num_cpus: 1, memory_details: { maximum: 512, used: null }, config_drive: false });
  });

  it('remote consoles (2.6) are unavailable: 400 naming the type; 404 before 2.6; bad bodies 400', async () => {
    const r = await k.as('member', 'POST', url('/remote-consoles'), { mv: '2.6', body: { remote_console: { protocol: 'vnc', type: 'novnc' } } });
    expect([r.status, r.body.badRequest.message]).toEqual([400, expect.stringContaining('Unavailable console type novnc')]);
    expect((await k.as('member', 'POST', url('/remote-consoles'), { mv: '2.5', body: { remote_console: { protocol: 'vnc', type: 'novnc' } } })).status).toBe(404);
    expect((await k.as('member', 'POST', url('/remote-consoles'), { mv: '2.6', body: { remote_console: { protocol: 'telnet', type: 'novnc' } } })).status).toBe(400);
    expect((await k.as('reader', 'POST', url('/remote-consoles'), { mv: '2.6', body: { remote_console: { protocol: 'vnc', type: 'novnc' } } })).status).toBe(403);
  });
});
