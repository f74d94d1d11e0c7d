/** Tokens on the way in: signature, expiry (injected clock), revocation, roles re-read, a shared key, validation routes, a compute route. */
import { createHmac } from 'node:crypto';
import { ManualClock } from '../../src/lib/clock';
import { Context } from '../../src/lib/context';
import { identityCloud, type IdentityCloud } from '../helpers/identity';

jest.setTimeout(60000);

/** A token with its payload rewritten and re-signed with a key of our own. */
function forge(token: string, change: (p: any) => void, key = Buffer.alloc(32, 7)): string {
  const [pre, body] = token.split('.');
  const p = JSON.parse(Buffer.from(body, 'base64url').toString());
  change(p);
  const b = Buffer.from(JSON.stringify(p)).toString('base64url');
  return `${pre}.${b}.${createHmac('sha256', key).update(`${pre}.${b}`).digest('base64url')}`;
}

describe('tokens', () => {
  const clock = new ManualClock(Date.parse('2026-03-01T10:00:00.000Z'));
  let c: IdentityCloud;
  let aliceId: string;
  let adminToken: string;
  beforeAll(async () => {
    c = await identityCloud({ clock, config: '[identity]\ntoken_expiration = 600\n' });
    await c.user('admin', 'adm1n-pw', 'admin', 'admin');
    aliceId = await c.user('alice', 'alice-pw', 'acme', 'member');
    await c.user('bob', 'bob-pw', 'acme', 'reader');
    adminToken = (await c.login('admin', 'adm1n-pw')).token;
  });
  afterAll(async () => { await c.close(); });

  it('[identity] token_expiration sets the lifetime; the token works until then and is 401 after (injected clock)', async () => {
    const r = await c.login('alice', 'alice-pw', { name: 'acme' });
    expect(r.body.token.issued_at).toBe('2026-03-01T10:00:00.000000Z');
    expect(r.body.token.expires_at).toBe('2026-03-01T10:10:00.000000Z');
    const caller = await c.ctx.identity.callerForToken(r.token);
    expect(caller).toEqual({ userId: aliceId, userName: 'alice', projectId: expect.any(String), projectName: 'acme', roles: ['member', 'reader'], isAdmin: false });
    clock.advance(599_000);
    expect((await c.call('GET', `/identity/v3/users/${aliceId}`, { token: r.token })).status).toBe(200);
    clock.advance(1_000);
    const late = await c.call('GET', `/identity/v3/users/${aliceId}`, { token: r.token });
    expect(late.status).toBe(401);
    expect(late.body).toEqual({ error: { code: 401, title: 'Unauthorized', message: expect.stringMatching(/expired/) } });
    await expect(c.ctx.identity.callerForToken(r.token)).rejects.toMatchObject({ category: 'unauthorized' });
    clock.set(new Date('2026-03-01T10:00:00.000Z'));
  });

  it('a tampered payload, a foreign key, a cut signature or garbage is 401', async () => {
    const alice = (await c.login('alice', 'alice-pw', { name: 'acme' })).token;
    const [pre, body, sig] = alice.split('.');
    const p = JSON.parse(Buffer.from(body, 'base64url').toString());
    const escalated = Buffer.from(JSON.stringify({ ...p, r: ['admin', 'member', 'reader'] })).toString('base64url');
    const bad = [
      `${pre}.${escalated}.${sig}`,
      forge(alice, (x) => { x.r = ['admin']; }),
      `${pre}.${body}.${sig.slice(0, -2)}`,
      `${pre}.${body}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`,
      'notused', 'nl1..', '',
    ];
    for (const t of bad) {
      await expect(c.ctx.identity.callerForToken(t)).rejects.toMatchObject({ category: 'unauthorized' });
      if (t) {
        const r = await c.call('GET', `/identity/v3/users/${aliceId}`, { token: t });
        expect(r.status).toBe(401);
        expect(r.text).not.toContain(t);
      }
    }
    expect((await c.call('GET', `/identity/v3/users/${aliceId}`)).status).toBe(401);
  });

  it('roles are re-read: a role taken away is gone from the caller at once, and with none left the token is 401', async () => {
    await c.ctx.identity.addRole('bob', 'acme', 'member');
    const t = (await c.login('bob', 'bob-pw', { name: 'acme' })).token;
    expect((await c.ctx.identity.callerForToken(t)).roles).toEqual(['member', 'reader']);
    await c.ctx.identity.removeRole('bob', 'acme', 'member');
    expect((await c.ctx.identity.callerForToken(t)).roles).toEqual(['reader']);
    // a role given after the token was issued is not in it
    await c.ctx.identity.addRole('bob', 'acme', 'admin');
    expect((await c.ctx.identity.callerForToken(t)).isAdmin).toBe(false);
    await c.ctx.identity.removeRole('bob', 'acme', 'admin');
    await c.ctx.identity.removeRole('bob', 'acme', 'reader');
    await expect(c.ctx.identity.callerForToken(t)).rejects.toMatchObject({ category: 'unauthorized' });
    await c.ctx.identity.addRole('bob', 'acme', 'reader');
  });

  it('a deleted user\'s tokens stop working', async () => {
    await c.user('carol', 'carol-pw', 'acme', 'member');
    const t = (await c.login('carol', 'carol-pw', { name: 'acme' })).token;
    expect((await c.ctx.identity.callerForToken(t)).userName).toBe('carol');
    await c.ctx.identity.deleteUser('carol');
    await expect(c.ctx.identity.callerForToken(t)).rejects.toMatchObject({ category: 'unauthorized' });
  });

  it('every process on the same API database shares the signing key', async () => {
    const t = (await c.login('alice', 'alice-pw', { name: 'acme' })).token;
    const other = new Context({ env: { ...process.env, ...c.env }, clock });
    try {
      expect((await other.identity.callerForToken(t)).userName).toBe('alice');
      const back = await other.identity.issueToken(await other.identity.getUser('alice'), null, ['password']);
      expect((await c.ctx.identity.callerForToken(back.token)).projectName).toBe('acme');
    } finally { await other.close(); }
  });

  it('GET /v3/auth/tokens validates X-Subject-Token (200 or 404); others\' tokens only for admins (403)', async () => {
    const alice = (await c.login('alice', 'alice-pw', { name: 'acme' })).token;
    const bob = (await c.login('bob', 'bob-pw', { name: 'acme' })).token;
    const own = await c.call('GET', '/identity/v3/auth/tokens', { token: alice, headers: { 'x-subject-token': alice } });
    expect(own.status).toBe(200);
    expect(own.headers['x-subject-token']).toBe(alice);
    expect(own.body.token.user.name).toBe('alice');
    const byAdmin = await c.call('GET', '/identity/v3/auth/tokens', { token: adminToken, headers: { 'x-subject-token': bob } });
    expect([byAdmin.status, byAdmin.body.token.user.name]).toEqual([200, 'bob']);
    const nosy = await c.call('GET', '/identity/v3/auth/tokens', { token: alice, headers: { 'x-subject-token': bob } });
    expect(nosy.status).toBe(403);
    expect(nosy.body.error.code).toBe(403);
    const gone = await c.call('GET', '/identity/v3/auth/tokens', { token: adminToken, headers: { 'x-subject-token': forge(bob, () => undefined) } });
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ error: { code: 404, title: 'Not Found', message: 'Could not find token.' } });
    expect((await c.call('GET', '/identity/v3/auth/tokens', { headers: { 'x-subject-token': bob } })).status).toBe(401);
  });

  it('DELETE /v3/auth/tokens revokes (204); the token is 401 afterwards, in every process', async () => {
    const t = (await c.login('alice', 'alice-pw', { name: 'acme' })).token;
    const r = await c.call('DELETE', '/identity/v3/auth/tokens', { token: t, headers: { 'x-subject-token': t } });
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    expect((await c.call('GET', `/identity/v3/users/${aliceId}`, { token: t })).status).toBe(401);
    const other = new Context({ env: { ...process.env, ...c.env }, clock });
    try { await expect(other.identity.callerForToken(t)).rejects.toMatchObject({ category: 'unauthorized' }); } finally { await other.close(); }
    // another token of the same user still works
    expect((await c.call('GET', `/identity/v3/users/${aliceId}`, { token: (await c.login('alice', 'alice-pw', { name: 'acme' })).token })).status).toBe(200);
  });

  it('a token reaches a compute route: the caller is the token\'s project, 401 without or with a forged token', async () => {
    const t = (await c.login('alice', 'alice-pw', { name: 'acme' })).token;
    const ok = await c.call('GET', '/v2.1/limits', { token: t });
    expect(ok.status).toBe(200);
    expect(ok.body.limits.absolute).toEqual(expect.objectContaining({ maxTotalInstances: expect.any(Number) }));
    expect((await c.call('GET', '/v2.1/limits')).status).toBe(401);
    expect((await c.call('GET', '/v2.1/limits', { token: forge(t, () => undefined) })).status).toBe(401);
    // another project's limits are for admins only
    const adminProject = (await c.ctx.projects.get('admin')).id;
    expect((await c.call('GET', `/v2.1/limits?tenant_id=${adminProject}`, { token: t })).status).toBe(403);
    expect((await c.call('GET', `/v2.1/limits?tenant_id=${adminProject}`, { token: adminToken })).status).toBe(200);
  });

  it('users and projects: yourself or admin (403 otherwise), your own projects, the roles', async () => {
    const alice = (await c.login('alice', 'alice-pw', { name: 'acme' })).token;
    const me = await c.call('GET', `/identity/v3/users/${aliceId}`, { token: alice });
    expect(me.body.user).toEqual({ id: aliceId, name: 'alice', domain_id: 'default', enabled: true, password_expires_at: null, options: {}, links: { self: `http://localhost:80/identity/v3/users/${aliceId}` } });
    expect(JSON.stringify(me.body)).not.toMatch(/scrypt|password_hash/);
    const bobId = (await c.ctx.identity.getUser('bob')).id;
    expect((await c.call('GET', `/identity/v3/users/${bobId}`, { token: alice })).status).toBe(403);
    expect((await c.call('GET', `/identity/v3/users/${bobId}`, { token: adminToken })).status).toBe(200);
    expect((await c.call('GET', '/identity/v3/users/alice', { token: adminToken })).status).toBe(404);
    expect((await c.call('GET', '/identity/v3/users', { token: alice })).body.users.map((u: { name: string }) => u.name)).toEqual(['alice']);
    expect((await c.call('GET', '/identity/v3/users', { token: adminToken })).body.users.map((u: { name: string }) => u.name)).toEqual(['admin', 'alice', 'bob']);
    expect((await c.call('GET', '/identity/v3/users?name=bob', { token: adminToken })).body.users.map((u: { id: string }) => u.id)).toEqual([bobId]);
    const mine = await c.call('GET', `/identity/v3/users/${aliceId}/projects`, { token: alice });
    expect(mine.body.projects.map((p: { name: string }) => p.name)).toEqual(['acme']);
    expect(mine.body.links).toEqual({ self: `http://localhost:80/identity/v3/users/${aliceId}/projects`, previous: null, next: null });
    expect((await c.call('GET', '/identity/v3/auth/projects', { token: alice })).body.projects.map((p: { name: string }) => p.name)).toEqual(['acme']);
    expect((await c.call('GET', '/identity/v3/projects', { token: alice })).body.projects.map((p: { name: string }) => p.name)).toEqual(['acme']);
    expect((await c.call('GET', '/identity/v3/projects', { token: adminToken })).body.projects.map((p: { name: string }) => p.name).sort()).toEqual(['acme', 'admin']);
    const adminProject = (await c.ctx.projects.get('admin')).id;
    expect((await c.call('GET', `/identity/v3/projects/${adminProject}`, { token: alice })).status).toBe(403);
    expect((await c.call('GET', `/identity/v3/projects/${adminProject}`, { token: adminToken })).body.project).toMatchObject({ id: adminProject, name: 'admin', domain_id: 'default' });
    expect((await c.call('GET', '/identity/v3/roles', { token: alice })).body.roles.map((r: { name: string }) => r.name)).toEqual(['admin', 'member', 'reader']);
  });
});

describe('http_basic', () => {
  let c: IdentityCloud;
  const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
  beforeAll(async () => {
    c = await identityCloud({ auth: 'http_basic' });
    await c.user('admin', 'adm1n-pw', 'admin', 'admin');
    await c.user('alice', 'alice-pw', 'acme', 'reader');
    await c.user('loner', 'loner-pw');
  });
  afterAll(async () => { await c.close(); });

  it('a user\'s name and password on each request, scoped to their first project', async () => {
    const a = await c.ctx.identity.basicCaller('alice', 'alice-pw');
    expect(a).toMatchObject({ userName: 'alice', projectName: 'acme', roles: ['reader'], isAdmin: false });
    expect((await c.ctx.identity.basicCaller('admin', 'adm1n-pw')).isAdmin).toBe(true);
    const r = await c.call('GET', '/v2.1/limits', { headers: basic('alice', 'alice-pw') });
    expect(r.status).toBe(200);
  });

  it('a wrong password, an unknown user, a user without a role, or no header is 401', async () => {
    for (const h of [basic('alice', 'nope'), basic('nobody', 'alice-pw'), basic('loner', 'loner-pw'), {}, { authorization: 'Basic !!' }]) {
      const r = await c.call('GET', '/v2.1/limits', { headers: h });
      expect(r.status).toBe(401);
      expect(r.text).not.toContain('alice-pw');
    }
  });

  it('a deleted user is refused at once, even right after a success', async () => {
    await c.user('dave', 'dave-pw', 'acme', 'member');
    expect((await c.ctx.identity.basicCaller('dave', 'dave-pw')).userName).toBe('dave');
    await c.ctx.identity.deleteUser('dave');
    await expect(c.ctx.identity.basicCaller('dave', 'dave-pw')).rejects.toMatchObject({ category: 'unauthorized' });
  });
});
