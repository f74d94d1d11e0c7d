/** os-keypairs over REST: generation and import per microversion, status codes, paging, users. */
import { generateKeyPairSync } from 'node:crypto';
import { apiCloud, type ApiCloud } from '../helpers/api';
import { fakeCallers, STANDARD_CALLERS } from '../helpers/fake-callers';
import { expectCompute } from '../helpers/tempest';

jest.setTimeout(60000);

function sshKey(comment = 'test'): string {
  const der = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
  const str = (b: Buffer) => { const n = Buffer.alloc(4); n.writeUInt32BE(b.length); return Buffer.concat([n, b]); };
  return `ssh-ed25519 ${Buffer.concat([str(Buffer.from('ssh-ed25519')), str(der.subarray(der.length - 32))]).toString('base64')} ${comment}`;
}

describe('os-keypairs', () => {
  let c: ApiCloud;
  const as = (token: string, mv?: string) => ({ token, ...(mv ? { mv } : {}) });
  beforeAll(async () => {
    c = await apiCloud({ auth: 'keystone' });
    await fakeCallers(c, STANDARD_CALLERS);
  });
  afterAll(async () => { await c.close(); });

  it('at 2.1 a create without public_key generates (200, private_key once) and delete is 202', async () => {
    const r = await c.call('POST', '/v2.1/os-keypairs', { ...as('member', '2.1'), body: { keypair: { name: 'gen-21' } } });
    expect(r.status).toBe(200);
    expectCompute('keypairs:create_keypair@2.1', r);
    expect(r.body.keypair).toMatchObject({ name: 'gen-21', user_id: 'member-user', private_key: expect.stringContaining('PRIVATE KEY') });
    expect(r.body.keypair.type).toBeUndefined();
    const show = await c.call('GET', '/v2.1/os-keypairs/gen-21', as('member', '2.1'));
    expectCompute('keypairs:get_keypair@2.1', show);
    expect(show.body.keypair).toMatchObject({ name: 'gen-21', deleted: false, deleted_at: null, updated_at: null, id: expect.any(Number) });
    expect(show.body.keypair.private_key).toBeUndefined();
    const list = await c.call('GET', '/v2.1/os-keypairs', as('member', '2.1'));
    expectCompute('keypairs:list_keypairs@2.1', list);
    expect(list.body.keypairs).toEqual([{ keypair: { name: 'gen-21', public_key: expect.any(String), fingerprint: expect.any(String) } }]);
    const d = await c.call('DELETE', '/v2.1/os-keypairs/gen-21', as('member', '2.1'));
    expect([d.status, d.text]).toEqual([202, '']);
    expectCompute('keypairs:delete_keypair@2.1', d);
  });

  it('from 2.2: type (x509 generation too), 201 on create and 204 on delete', async () => {
    const r = await c.call('POST', '/v2.1/os-keypairs', { ...as('member', '2.2'), body: { keypair: { name: 'cert', type: 'x509' } } });
    expect(r.status).toBe(201);
    expectCompute('keypairs:create_keypair@2.2', r);
    expect(r.body.keypair).toMatchObject({ type: 'x509', public_key: expect.stringContaining('BEGIN CERTIFICATE') });
    const imp = await c.call('POST', '/v2.1/os-keypairs', { ...as('member', '2.10'), body: { keypair: { name: 'imported', public_key: sshKey() } } });
    expectCompute('keypairs:create_keypair@2.10', imp);
    expect(imp.body.keypair.private_key).toBeUndefined();
    expect(imp.body.keypair.type).toBe('ssh');
    const show = await c.call('GET', '/v2.1/os-keypairs/cert', as('member', '2.2'));
    expectCompute('keypairs:get_keypair@2.2', show);
    expect(show.body.keypair.type).toBe('x509');
    const d = await c.call('DELETE', '/v2.1/os-keypairs/cert', as('member', '2.2'));
    expect([d.status, d.text]).toEqual([204, '']);
    expectCompute('keypairs:delete_keypair@2.2', d);
    expect((await c.call('DELETE', '/v2.1/os-keypairs/cert', as('member', '2.2'))).status).toBe(404);
    expect((await c.call('GET', '/v2.1/os-keypairs/cert', as('member', '2.2'))).status).toBe(404);
  });

  it('2.92 requires public_key and allows . and @ in names (400 before)', async () => {
    const gen = await c.call('POST', '/v2.1/os-keypairs', { ...as('member', '2.92'), body: { keypair: { name: 'nogen' } } });
    expect([gen.status, gen.body.badRequest?.code]).toEqual([400, 400]);
    const dotted = { keypair: { name: 'me@host.example', public_key: sshKey() } };
    expect((await c.call('POST', '/v2.1/os-keypairs', { ...as('member', '2.91'), body: dotted })).status).toBe(400);
    const r = await c.call('POST', '/v2.1/os-keypairs', { ...as('member', '2.92'), body: dotted });
    expect(r.status).toBe(201);
    expectCompute('keypairs:create_keypair@2.92', r);
  });

  it.each([
    ['a bad public key', '2.2', { name: 'bad', public_key: 'ssh-rsa notbase64' }, 400],
    ['an unknown type', '2.2', { name: 'bad', type: 'pgp' }, 400],
    ['type before 2.2', '2.1', { name: 'bad', type: 'ssh' }, 400],
    ['user_id before 2.10', '2.9', { name: 'bad', user_id: 'x' }, 400],
    ['an unknown key', '2.2', { name: 'bad', colour: 'red' }, 400],
    ['a name with a slash', '2.2', { name: 'a/b' }, 400],
    ['a duplicate name', '2.2', { name: 'imported', public_key: sshKey() }, 409],
  ])('create refuses %s', async (_what, mv, keypair, status) => {
    const r = await c.call('POST', '/v2.1/os-keypairs', { ...as('member', mv), body: { keypair } });
    expect(r.status).toBe(status);
  });

  it('pages from 2.35 with keypairs_links; a bad marker is a 400; unknown parameters 400 from 2.75', async () => {
    for (const n of ['pa', 'pb', 'pc']) {
      expect((await c.call('POST', '/v2.1/os-keypairs', { ...as('reader', '2.92'), body: { keypair: { name: n, public_key: sshKey(n) } } })).status).toBe(201);
    }
    // tempest's keypairs schema has no keypairs_links (Nova adds them on a full page): a page that is not full validates
    expectCompute('keypairs:list_keypairs@2.35', await c.call('GET', '/v2.1/os-keypairs?limit=5', as('reader', '2.35')));
    const p1 = await c.call('GET', '/v2.1/os-keypairs?limit=2', as('reader', '2.35'));
    expect(p1.body.keypairs.map((k: { keypair: { name: string } }) => k.keypair.name)).toEqual(['pa', 'pb']);
    expect(p1.body.keypairs_links).toEqual([{ rel: 'next', href: 'http://localhost:80/v2.1/os-keypairs?limit=2&marker=pb' }]);
    const p2 = await c.call('GET', '/v2.1/os-keypairs?limit=2&marker=pb', as('reader', '2.35'));
    expect([p2.body.keypairs.map((k: { keypair: { name: string } }) => k.keypair.name), p2.body.keypairs_links]).toEqual([['pc'], undefined]);
    expect((await c.call('GET', '/v2.1/os-keypairs?marker=zz', as('reader', '2.35'))).status).toBe(400);
    expect((await c.call('GET', '/v2.1/os-keypairs?limit=1', as('reader', '2.34'))).body.keypairs).toHaveLength(3);
    expect((await c.call('GET', '/v2.1/os-keypairs?foo=1', as('reader', '2.75'))).status).toBe(400);
  });

  it('from 2.10 an admin acts for another user (user_id); others get 403', async () => {
    const r = await c.call('POST', '/v2.1/os-keypairs', { ...as('admin', '2.10'), body: { keypair: { name: 'for-other', user_id: 'other-user', public_key: sshKey() } } });
    expect([r.status, r.body.keypair.user_id]).toEqual([201, 'other-user']);
    expect((await c.call('GET', '/v2.1/os-keypairs', as('other', '2.10'))).body.keypairs.map((k: { keypair: { name: string } }) => k.keypair.name)).toEqual(['for-other']);
    const adminList = await c.call('GET', '/v2.1/os-keypairs?user_id=other-user', as('admin', '2.10'));
    expect(adminList.body.keypairs).toHaveLength(1);
    expect((await c.call('GET', '/v2.1/os-keypairs/for-other?user_id=other-user', as('admin', '2.10'))).status).toBe(200);
    expect((await c.call('GET', '/v2.1/os-keypairs/for-other', as('admin', '2.10'))).status).toBe(404);
    expect((await c.call('GET', '/v2.1/os-keypairs?user_id=other-user', as('member', '2.10'))).status).toBe(403);
    expect((await c.call('DELETE', '/v2.1/os-keypairs/for-other?user_id=other-user', as('member', '2.10'))).status).toBe(403);
    expect((await c.call('POST', '/v2.1/os-keypairs', { ...as('member', '2.10'), body: { keypair: { name: 'x', user_id: 'other-user' } } })).status).toBe(403);
    // before 2.10 user_id in the query is ignored: the caller's own key pairs
    expect((await c.call('GET', '/v2.1/os-keypairs?user_id=other-user', as('member', '2.9'))).status).toBe(200);
    expect((await c.call('DELETE', '/v2.1/os-keypairs/for-other?user_id=other-user', as('admin', '2.10'))).status).toBe(204);
  });
});
