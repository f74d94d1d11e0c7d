/** /servers: create, show, update, delete, with the server view per microversion checked against Tempest's schemas. */
import { expectCompute } from '../helpers/tempest';
import { mvAtLeast, serverCloud, type ServerCloud } from './servers-cloud';

jest.setTimeout(120000);

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('POST /servers', () => {
  let k: ServerCloud;
  beforeAll(async () => {
    k = await serverCloud({
      steps: [['host', 'add', 'slow', '--driver', 'fake', '--vcpus', '8', '--memory-mb', '16384', '--disk-gb', '200', '--fake-spawn-seconds', '0.5'],
        ['flavor', 'create', 'huge', '--vcpus', '64', '--ram', '65536', '--disk', '1']],
    });
  });
  afterAll(async () => { await k.close(); });

  it('answers 202 with id, links, diskConfig and a Location, and the build ends ACTIVE', async () => {
    const r = await k.as('member', 'POST', '/v2.1/servers', { mv: '2.1', body: { server: { name: 'web1', imageRef: k.image, flavorRef: 'f1', user_data: b64('#!/bin/sh\necho hi\n'), metadata: { role: 'web' } } } });
    expect(r.status).toBe(202);
    expectCompute('v2_1.servers:create_server', r);
    expect(Object.keys(r.body.server).sort()).toEqual(['OS-DCF:diskConfig', 'id', 'links', 'security_groups']);
    expect(r.headers.location).toBe(`http://localhost:80/v2.1/servers/${r.body.server.id}`);
    await k.settle();
    const s = await k.c.ctx.servers.get(r.body.server.id);
    expect([s.vmState, s.userData, s.metadata, s.projectId, s.userId]).toEqual(['active', '#!/bin/sh\necho hi\n', { role: 'web' }, k.ids.p1, 'member-user']);
    const admin = await k.as('admin', 'GET', `/v2.1/servers/${s.uuid}`, { mv: '2.3' });
    expect(admin.body.server['OS-EXT-SRV-ATTR:user_data']).toBe(b64('#!/bin/sh\necho hi\n'));
  });

  it('answers before the build is done: the server is BUILD until the spawn finishes', async () => {
    const r = await k.as('admin', 'POST', '/v2.1/servers', { mv: '2.1', body: { server: { name: 'slow1', imageRef: k.image, flavorRef: 'f1', availability_zone: 'nova:slow' } } });
    expect(r.status).toBe(202);
    const during = await k.as('admin', 'GET', `/v2.1/servers/${r.body.server.id}`);
    expect([during.body.server.status, during.body.server['OS-EXT-SRV-ATTR:host']]).toEqual(['BUILD', 'slow']);
    await k.settle();
    expect((await k.as('admin', 'GET', `/v2.1/servers/${r.body.server.id}`)).body.server.status).toBe('ACTIVE');
  });

  it('takes 2.19 description, 2.52 tags, 2.90 hostname, min/max count and return_reservation_id', async () => {
    const r = await k.as('member', 'POST', '/v2.1/servers', { mv: '2.90', body: { server: { name: 'tagged', imageRef: k.image, flavorRef: 'f1', networks: 'none', description: 'd1', tags: ['a', 'b'], hostname: 'host-one' } } });
    expect(r.status).toBe(202);
    await k.settle();
    const s = (await k.as('member', 'GET', `/v2.1/servers/${r.body.server.id}`, { mv: '2.90' })).body.server;
    expect([s.description, s.tags, s['OS-EXT-SRV-ATTR:hostname']]).toEqual(['d1', ['a', 'b'], 'host-one']);
    const many = await k.as('member', 'POST', '/v2.1/servers', { mv: '2.37', body: { server: { name: 'many', imageRef: k.image, flavorRef: 'f1', networks: 'auto', min_count: 2, max_count: '2', return_reservation_id: true } } });
    expect([many.status, Object.keys(many.body)]).toEqual([202, ['reservation_id']]);
    await k.settle();
    const list = await k.as('admin', 'GET', `/v2.1/servers/detail?all_tenants=1&reservation_id=${many.body.reservation_id}`, { mv: '2.3' });
    expect(list.body.servers.map((x: any) => [x.name, x['OS-EXT-SRV-ATTR:launch_index']]).sort()).toEqual([['many-1', 0], ['many-2', 1]]);
  });

  it.each([
    ['2.1', { name: 'x', imageRef: 'IMG', flavorRef: 'f1', bogus: 1 }, 'bogus'],
    ['2.37', { name: 'x', imageRef: 'IMG', flavorRef: 'f1' }, 'networks'],
    ['2.1', { name: ' x', imageRef: 'IMG', flavorRef: 'f1' }, 'name'],
    ['2.1', { name: 'x', imageRef: 'IMG', flavorRef: 'f1', description: 'd' }, 'description'],
    ['2.1', { name: 'x', imageRef: 'IMG', flavorRef: 'f1', user_data: 'not base64!' }, 'user_data'],
    ['2.1', { name: 'x', imageRef: 'IMG', flavorRef: 'nope' }, 'nope'],
    ['2.1', { name: 'x', imageRef: '6b2d3d7e-9f0e-4c2b-8a53-1f7c2f7d1a01', flavorRef: 'f1' }, 'image'],
    ['2.1', { name: 'x', flavorRef: 'f1' }, 'imageRef'],
    ['2.1', { name: 'x', imageRef: 'IMG', flavorRef: 'f1', key_name: 'nokey' }, 'nokey'],
    ['2.1', { name: 'x', imageRef: 'IMG', flavorRef: 'f1', min_count: 3, max_count: 2 }, 'min_count'],
    ['2.90', { name: 'x', imageRef: 'IMG', flavorRef: 'f1', networks: 'none', hostname: 'h', max_count: 2 }, 'hostname'],
    ['2.89', { name: 'x', imageRef: 'IMG', flavorRef: 'f1', networks: 'none', hostname: 'hh' }, 'hostname'],
    ['2.1', { name: 'x', imageRef: 'IMG', flavorRef: 'f1', block_device_mapping_v2: [{ boot_index: 0, uuid: 'v', source_type: 'volume' }] }, 'block device'],
    ['2.37', { name: 'x', imageRef: 'IMG', flavorRef: 'f1', networks: [{ port: '6b2d3d7e-9f0e-4c2b-8a53-1f7c2f7d1a01' }] }, 'Ports'],
  ])('refuses a bad request at %s with 400 (%#)', async (mv, server, word) => {
    const body = { server: { ...server, imageRef: (server as any).imageRef === 'IMG' ? k.image : (server as any).imageRef } };
    const r = await k.as('member', 'POST', '/v2.1/servers', { mv, body });
    expect([r.status, r.body.badRequest?.message]).toEqual([400, expect.stringContaining(word)]);
  });

  it('boots with the caller\'s key pair and a config drive; another user\'s key pair is a 400', async () => {
    await k.c.ctx.keypairs.create({ name: 'k1', userId: 'member-user', projectId: k.ids.p1 });
    const id = await k.boot('member', 'keyed', { key_name: 'k1', config_drive: 'true' });
    const s = (await k.as('member', 'GET', `/v2.1/servers/${id}`)).body.server;
    expect([s.key_name, s.config_drive]).toEqual(['k1', 'True']);
    const theirs = await k.as('other', 'POST', '/v2.1/servers', { body: { server: { name: 'x', imageRef: k.image, flavorRef: 'f1', key_name: 'k1' } } });
    expect(theirs.status).toBe(400);
  });

  it('forcing a host (az:host, 2.74 host) is for admins; readers cannot create', async () => {
    const forced = await k.as('member', 'POST', '/v2.1/servers', { body: { server: { name: 'f', imageRef: k.image, flavorRef: 'f1', availability_zone: 'nova:h2' } } });
    expect(forced.status).toBe(403);
    const host = await k.as('member', 'POST', '/v2.1/servers', { mv: '2.74', body: { server: { name: 'f', imageRef: k.image, flavorRef: 'f1', networks: 'none', host: 'h2' } } });
    expect(host.status).toBe(403);
    const reader = await k.as('reader', 'POST', '/v2.1/servers', { body: { server: { name: 'f', imageRef: k.image, flavorRef: 'f1' } } });
    expect(reader.status).toBe(403);
    const admin = await k.as('admin', 'POST', '/v2.1/servers', { mv: '2.74', body: { server: { name: 'f', imageRef: k.image, flavorRef: 'f1', networks: 'none', host: 'h2' } } });
    expect(admin.status).toBe(202);
    await k.settle();
    expect((await k.c.ctx.servers.get(admin.body.server.id)).host).toBe('h2');
    const unknown = await k.as('admin', 'POST', '/v2.1/servers', { mv: '2.74', body: { server: { name: 'f', imageRef: k.image, flavorRef: 'f1', networks: 'none', host: 'h9' } } });
    expect(unknown.status).toBe(400);
  });

  it('a server no host can take is accepted and ends in ERROR with its fault', async () => {
    expect((await k.as('admin', 'POST', '/v2.1/servers', { body: { server: { name: 'big', imageRef: k.image, flavorRef: 'f1', availability_zone: 'nowhere' } } })).status).toBe(400);
    await k.as('admin', 'POST', '/v2.1/servers', { body: { server: { name: 'big', imageRef: k.image, flavorRef: 'huge' } } }).then((r) => expect(r.status).toBe(202));
    await k.settle();
    const list = await k.as('admin', 'GET', '/v2.1/servers/detail?name=^big$');
    expect(list.body.servers[0]).toMatchObject({ status: 'ERROR', fault: { code: 500, message: expect.stringMatching(/host/i) } });
    expectCompute('servers:list_servers_detail', list);
    const del = await k.as('admin', 'DELETE', `/v2.1/servers/${list.body.servers[0].id}`);
    expect(del.status).toBe(204);
    await k.settle();
    expect((await k.as('admin', 'GET', `/v2.1/servers/${list.body.servers[0].id}`)).status).toBe(404);
  });
});

describe('GET/PUT/DELETE /servers/{id}', () => {
  let k: ServerCloud;
  let id: string;
  beforeAll(async () => {
    k = await serverCloud();
    id = await k.boot('member', 'web1', { metadata: { a: '1' } }, '2.52');
  });
  afterAll(async () => { await k.close(); });

  it.each(['2.1', '2.3', '2.9', '2.16', '2.19', '2.26', '2.47', '2.48', '2.63', '2.71', '2.73', '2.75', '2.90', '2.92'])('show at %s conforms for admin and member', async (mv) => {
    for (const who of ['admin', 'member', 'reader']) {
      const r = await k.as(who, 'GET', `/v2.1/servers/${id}`, { mv });
      expect(r.status).toBe(200);
      expectCompute(`servers:get_server@${mv}`, r, `${who} ${mv}`);
    }
  });

  it('shows fields by microversion and role', async () => {
    const old = (await k.as('member', 'GET', `/v2.1/servers/${id}`, { mv: '2.46' })).body.server;
    expect(old.flavor).toEqual({ id: expect.any(String), links: [{ rel: 'bookmark', href: expect.stringMatching(/\/flavors\//) }] });
    expect(old).not.toHaveProperty('OS-EXT-SRV-ATTR:host');
    expect(old).not.toHaveProperty('host_status');
    expect(old).toMatchObject({ locked: false, description: null, tags: [] });
    const admin = (await k.as('admin', 'GET', `/v2.1/servers/${id}`, { mv: '2.92' })).body.server;
    expect(admin).toMatchObject({ host_status: 'UP', 'OS-EXT-SRV-ATTR:host': expect.stringMatching(/^h[12]$/), flavor: { original_name: 'f1', ram: 512, extra_specs: {} }, locked_reason: null, server_groups: [] });
    expect(admin.hostId).toHaveLength(56);
    const member = (await k.as('member', 'GET', `/v2.1/servers/${id}`, { mv: '2.90' })).body.server;
    expect(member['OS-EXT-SRV-ATTR:hostname']).toBe('web1');
    expect(member).not.toHaveProperty('OS-EXT-SRV-ATTR:host');
    expect((await k.as('member', 'GET', `/v2.1/servers/${id}`, { mv: '2.89' })).body.server).not.toHaveProperty('OS-EXT-SRV-ATTR:hostname');
  });

  it('another project gets 404, and so does a name or an unknown id', async () => {
    expect((await k.as('other', 'GET', `/v2.1/servers/${id}`)).status).toBe(404);
    expect((await k.as('member', 'GET', '/v2.1/servers/web1')).status).toBe(404);
    const missing = await k.as('member', 'GET', '/v2.1/servers/6b2d3d7e-9f0e-4c2b-8a53-1f7c2f7d1a01');
    expect([missing.status, Object.keys(missing.body)]).toEqual([404, ['itemNotFound']]);
    expect((await k.as('other', 'PUT', `/v2.1/servers/${id}`, { body: { server: { name: 'x' } } })).status).toBe(404);
    expect((await k.as('other', 'DELETE', `/v2.1/servers/${id}`)).status).toBe(404);
  });

  it.each(['2.1', '2.19', '2.26', '2.47', '2.63', '2.71', '2.73', '2.75', '2.90'])('PUT at %s renames and answers the update view', async (mv) => {
    const body: Record<string, unknown> = { name: `web-${mv}` };
    if (mvAtLeast(mv, '2.19')) body.description = `desc ${mv}`;
    const r = await k.as('member', 'PUT', `/v2.1/servers/${id}`, { mv, body: { server: body } });
    expect(r.status).toBe(200);
    expectCompute(`servers:update_server@${mv}`, r, mv);
    expect(r.body.server.name).toBe(`web-${mv}`);
    expect('OS-EXT-STS:vm_state' in r.body.server).toBe(mv === '2.75' || mv === '2.90');
  });

  it('PUT sets the description (null clears it) and the 2.90 hostname; refuses unknown keys, readers and bad host names', async () => {
    expect((await k.as('member', 'PUT', `/v2.1/servers/${id}`, { mv: '2.90', body: { server: { hostname: 'new-host', description: null } } })).body.server)
      .toMatchObject({ 'OS-EXT-SRV-ATTR:hostname': 'new-host', description: null });
    expect((await k.as('member', 'PUT', `/v2.1/servers/${id}`, { mv: '2.89', body: { server: { hostname: 'new-host' } } })).status).toBe(400);
    expect((await k.as('member', 'PUT', `/v2.1/servers/${id}`, { mv: '2.90', body: { server: { hostname: '-bad-' } } })).status).toBe(400);
    expect((await k.as('member', 'PUT', `/v2.1/servers/${id}`, { mv: '2.1', body: { server: { description: 'x' } } })).status).toBe(400);
    expect((await k.as('reader', 'PUT', `/v2.1/servers/${id}`, { body: { server: { name: 'x' } } })).status).toBe(403);
  });

  it('DELETE answers 204, refuses a locked server (409) and readers (403)', async () => {
    const victim = await k.boot('member', 'victim');
    expect((await k.as('reader', 'DELETE', `/v2.1/servers/${victim}`)).status).toBe(403);
    await k.as('member', 'POST', `/v2.1/servers/${victim}/action`, { body: { lock: null } });
    expect((await k.as('member', 'DELETE', `/v2.1/servers/${victim}`)).status).toBe(409);
    await k.as('member', 'POST', `/v2.1/servers/${victim}/action`, { body: { unlock: null } });
    const r = await k.as('member', 'DELETE', `/v2.1/servers/${victim}`);
    expect([r.status, r.text]).toEqual([204, '']);
    await k.settle();
    expect((await k.as('member', 'GET', `/v2.1/servers/${victim}`)).status).toBe(404);
  });
});
