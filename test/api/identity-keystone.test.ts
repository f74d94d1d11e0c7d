/** Keystone v3 subset: version documents, password and token authentication, the token body clients read, scopes, errors. */
import { identityCloud, type IdentityCloud } from '../helpers/identity';

jest.setTimeout(60000);

const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const HEX32 = /^[0-9a-f]{32}$/;

describe('Keystone v3 subset', () => {
  let c: IdentityCloud;
  let adminId: string;
  beforeAll(async () => {
    c = await identityCloud();
    adminId = await c.user('admin', 'adm1n-pw', 'admin', 'admin');
    await c.user('alice', 'alice-pw', 'acme', 'member');
    await c.ctx.identity.addRole('alice', 'admin', 'reader');
    await c.ctx.projects.create({ name: 'other' });
  });
  afterAll(async () => { await c.close(); });

  it('GET /identity answers 300 with the v3 document, GET /identity/v3 200, without compute headers', async () => {
    for (const url of ['/identity', '/identity/']) {
      const r = await c.call('GET', url);
      expect(r.status).toBe(300);
      expect(r.body).toEqual({ versions: { values: [expect.objectContaining({ id: 'v3.14', status: 'stable' })] } });
      expect(r.headers['openstack-api-version']).toBeUndefined();
    }
    const v3 = await c.call('GET', '/identity/v3');
    expect(v3.status).toBe(200);
    expect(v3.body.version).toEqual({
      id: 'v3.14', status: 'stable', updated: expect.any(String), links: [{ rel: 'self', href: 'http://localhost:80/identity/v3/' }],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
    });
    expect(v3.headers['x-openstack-nova-api-version']).toBeUndefined();
  });

  it('password auth by name and domain name answers 201 with X-Subject-Token and the full token body', async () => {
    const r = await c.login('admin', 'adm1n-pw');
    expect(r.status).toBe(201);
    expect(r.token).toMatch(/^nl1\./);
    const t = r.body.token;
    expect(Object.keys(t).sort()).toEqual(['audit_ids', 'catalog', 'expires_at', 'is_domain', 'issued_at', 'methods', 'project', 'roles', 'user']);
    expect(t.methods).toEqual(['password']);
    expect(t.expires_at).toMatch(TIME);
    expect(t.issued_at).toMatch(TIME);
    expect(Date.parse(t.expires_at) - Date.parse(t.issued_at)).toBe(3600 * 1000);
    expect(t.audit_ids).toEqual([expect.stringMatching(/^[A-Za-z0-9_-]{22}$/)]);
    expect(t.user).toEqual({ id: adminId, name: 'admin', domain: { id: 'default', name: 'Default' }, password_expires_at: null });
    expect(t.project).toEqual({ id: expect.stringMatching(HEX32), name: 'admin', domain: { id: 'default', name: 'Default' } });
    expect(t.roles.map((x: { name: string }) => x.name)).toEqual(['admin', 'member', 'reader']);
    for (const role of t.roles) expect(role.id).toMatch(HEX32);
    const byType = Object.fromEntries(t.catalog.map((s: any) => [s.type, s]));
    expect(Object.keys(byType).sort()).toEqual(['compute', 'identity', 'image']);
    const url = { compute: 'http://localhost:80/v2.1', identity: 'http://localhost:80/identity/v3', image: 'http://localhost:80/image' } as Record<string, string>;
    for (const [type, s] of Object.entries<any>(byType)) {
      expect(s.endpoints.map((e: any) => e.interface)).toEqual(['public', 'internal', 'admin']);
      for (const e of s.endpoints) expect(e).toEqual({ id: expect.stringMatching(HEX32), interface: e.interface, region: 'RegionOne', region_id: 'RegionOne', url: url[type] });
    }
    // the password is nowhere in what comes back
    expect(r.text).not.toContain('adm1n-pw');
  });

  it('accepts the domain by id `default`, the user by id, the project by id, and honours X-Forwarded-* in the catalog', async () => {
    const byDomainId = await c.login('admin', 'adm1n-pw', { name: 'admin' }, { id: 'default' });
    expect(byDomainId.status).toBe(201);
    const pid = byDomainId.body.token.project.id;
    const r = await c.call('POST', '/identity/v3/auth/tokens', {
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'cloud.example:8774' },
      body: { auth: { identity: { methods: ['password'], password: { user: { id: adminId, password: 'adm1n-pw' } } }, scope: { project: { id: pid } } } },
    });
    expect(r.status).toBe(201);
    expect(r.body.token.project.name).toBe('admin');
    expect(r.body.token.catalog.find((s: any) => s.type === 'compute').endpoints[0].url).toBe('https://cloud.example:8774/v2.1');
  });

  it('an unscoped request lands in the user\'s first project', async () => {
    const r = await c.login('alice', 'alice-pw', null);
    expect(r.status).toBe(201);
    expect(r.body.token.project.name).toBe('acme');
    expect(r.body.token.roles.map((x: { name: string }) => x.name)).toEqual(['member', 'reader']);
  });

  it('a project the user holds no role on is refused (401), as are other domains and domain scope', async () => {
    const r = await c.login('alice', 'alice-pw', { name: 'other' });
    expect(r.status).toBe(401);
    expect(r.headers['x-subject-token']).toBeUndefined();
    expect((await c.login('alice', 'alice-pw', { name: 'no-such-project' })).status).toBe(401);
    expect((await c.login('alice', 'alice-pw', { name: 'acme' }, { name: 'Elsewhere' })).status).toBe(401);
    const dom = await c.call('POST', '/identity/v3/auth/tokens', { body: { auth: { identity: { methods: ['password'], password: { user: { name: 'alice', domain: { id: 'default' }, password: 'alice-pw' } } }, scope: { domain: { id: 'default' } } } } });
    expect(dom.status).toBe(401);
    // a reader role elsewhere is a role: alice may scope to admin, as reader only
    const reader = await c.login('alice', 'alice-pw', { name: 'admin' });
    expect(reader.status).toBe(201);
    expect(reader.body.token.roles.map((x: { name: string }) => x.name)).toEqual(['reader']);
  });

  it('a wrong password or an unknown user is 401 with Keystone\'s error body, never echoing the password', async () => {
    for (const [u, p] of [['admin', 'wrong-pw-123'], ['nobody', 'adm1n-pw']]) {
      const r = await c.login(u, p);
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ error: { code: 401, title: 'Unauthorized', message: expect.any(String) } });
      expect(r.headers['www-authenticate']).toBe('Keystone uri="http://localhost:80/identity"');
      expect(r.text).not.toContain(p);
    }
  });

  it('a malformed auth request is 400 with Keystone\'s error body', async () => {
    for (const body of [{}, { auth: {} }, { auth: { identity: { methods: ['password'] } } }, { auth: { identity: { methods: ['password'], password: { user: { name: 'admin' } } } } }]) {
      const r = await c.call('POST', '/identity/v3/auth/tokens', { body });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ error: { code: 400, title: 'Bad Request', message: expect.any(String) } });
    }
    const odd = await c.call('POST', '/identity/v3/auth/tokens', { body: { auth: { identity: { methods: ['totp'] } } } });
    expect(odd.status).toBe(401);
  });

  it('the token method (as nova sends it, with X-Auth-Token) rescopes and keeps the original expiry', async () => {
    const first = await c.login('alice', 'alice-pw', { name: 'acme' });
    const adminProject = (await c.ctx.projects.get('admin')).id;
    const r = await c.call('POST', '/identity/v3/auth/tokens', {
      token: first.token, body: { auth: { identity: { methods: ['token'], token: { id: first.token } }, scope: { project: { id: adminProject } } } },
    });
    expect(r.status).toBe(201);
    expect(r.body.token.methods).toEqual(['token']);
    expect(r.body.token.project.name).toBe('admin');
    expect(r.body.token.expires_at).toBe(first.body.token.expires_at);
    expect(r.body.token.audit_ids).toEqual([expect.any(String), first.body.token.audit_ids[0]]);
    const same = await c.call('POST', '/identity/v3/auth/tokens', { body: { auth: { identity: { methods: ['token'], token: { id: first.token } } } } });
    expect(same.body.token.project.name).toBe('acme');
    const refused = await c.call('POST', '/identity/v3/auth/tokens', { body: { auth: { identity: { methods: ['token'], token: { id: first.token } }, scope: { project: { name: 'other', domain: { id: 'default' } } } } } });
    expect(refused.status).toBe(401);
    const bogus = await c.call('POST', '/identity/v3/auth/tokens', { body: { auth: { identity: { methods: ['token'], token: { id: 'abc' } } } } });
    expect(bogus.status).toBe(401);
  });

  it('?nocatalog leaves the catalog out', async () => {
    const r = await c.call('POST', '/identity/v3/auth/tokens?nocatalog', { body: { auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: 'adm1n-pw' } } } } } });
    expect(r.status).toBe(201);
    expect(r.body.token.catalog).toBeUndefined();
  });
});
