/**
 * The real clients with password auth through the embedded Keystone (/identity/v3) of a real
 * `novalite serve --auth keystone` process: `openstack quota show/set`, `nova list`, `nova boot
 * --poll`, `nova hypervisor-list`, an openstacksdk script, and what a token may do: a member of
 * project A does not see project B's servers (404) and gets 403 on an admin API; a forged,
 * tampered or expired token gets 401.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, setupEnv } from '../helpers/cli';
import { Clients, clientsMissing, explain, NOVA, novaEnv, run, serve, type Served } from '../helpers/openstack';

const CI = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());
const missing = clientsMissing();
const suite = missing && !CI ? describe.skip : describe;
const T = 240_000;
const PW = 'Secret-pw-1';

suite(`openstack, nova and openstacksdk with password auth against novalite serve --auth keystone${missing && !CI ? ` (skipped: ${missing})` : ''}`, () => {
  let env: Record<string, string>;
  let server: Served;
  let clients: Clients;
  let bvm: string;

  async function nl(argv: string[]): Promise<any> {
    const r = await runCli([...argv, '--json'], env);
    if (r.code !== 0) throw new Error(`novalite ${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.json;
  }
  async function ok(p: Promise<import('../helpers/openstack').RunResult>, what: string) {
    const r = await p;
    if (r.code !== 0) throw new Error(explain(r, what));
    return r;
  }
  /** A project-scoped token from POST /identity/v3/auth/tokens (X-Subject-Token). */
  async function token(url: string, user: string, project: string): Promise<string> {
    const res = await fetch(`${url}/identity/v3/auth/tokens`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: user, domain: { id: 'default' }, password: PW } } }, scope: { project: { name: project, domain: { id: 'default' } } } } }),
    });
    if (res.status !== 201) throw new Error(`token for ${user}: ${res.status} ${await res.text()}`);
    return res.headers.get('x-subject-token')!;
  }
  async function get(pathname: string, tok: string): Promise<{ status: number; body: any; headers: Headers }> {
    const res = await fetch(`${server.url}${pathname}`, { headers: { 'x-auth-token': tok, accept: 'application/json' } });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  beforeAll(async () => {
    if (missing) throw new Error(`${missing}: under CI the OpenStack clients are required`);
    const big = ['--driver', 'fake', '--vcpus', '64', '--memory-mb', '131072', '--disk-gb', '2000'];
    env = await setupEnv([
      ['host', 'add', 'h1', ...big], ['host', 'add', 'h2', ...big],
      ['flavor', 'create', 'f1', '--vcpus', '1', '--ram', '512', '--disk', '1', '--property', 'hw:cpu_policy=shared'],
      ['user', 'create', 'admin', '--password', PW, '--project', 'admin', '--role', 'admin'],
      ['user', 'create', 'alice', '--password', PW, '--project', 'projA', '--role', 'member'],
      ['user', 'create', 'bob', '--password', PW, '--project', 'projB', '--role', 'member'],
    ]);
    fs.writeFileSync(path.join(env.HOME, 'cirros.img'), 'not really a disk image\n');
    await nl(['image', 'create', 'cirros', '--file', path.join(env.HOME, 'cirros.img'), '--public']);
    bvm = (await nl(['server', 'create', 'b-vm', '--project', 'projB', '--flavor', 'f1', '--image', 'cirros', '--wait'])).server.id;
    server = await serve(env, ['--auth', 'keystone']);
    const cloud = (user: string, project: string) => ({
      auth_type: 'password', identity_api_version: 3,
      auth: { auth_url: `${server.url}/identity/v3`, username: user, password: PW, project_name: project, user_domain_name: 'Default', project_domain_name: 'Default' },
    });
    clients = new Clients(fs.mkdtempSync(path.join(env.HOME, 'osc-')), { admin: cloud('admin', 'admin'), alice: cloud('alice', 'projA') });
  }, 120_000);
  afterAll(async () => { await server?.stop(); });

  it('openstack quota show and quota set (projects found through /identity/v3)', async () => {
    const shown = (await ok(clients.osc('admin', ['quota', 'show', 'admin', '-f', 'json']), 'openstack quota show admin')).json;
    const mine = (await nl(['quota', 'show', '--project', 'admin'])).quota_set.limits;
    expect({ instances: shown.instances, cores: shown.cores, ram: shown.ram }).toEqual({ instances: mine.instances, cores: mine.cores, ram: mine.ram });
    await ok(clients.osc('admin', ['quota', 'set', '--instances', '17', '--cores', '33', 'projA']), 'openstack quota set');
    expect((await nl(['quota', 'show', '--project', 'projA'])).quota_set.limits).toMatchObject({ instances: 17, cores: 33 });
    const all = (await ok(clients.osc('admin', ['server', 'list', '--all-projects', '-f', 'json']), 'openstack server list --all-projects')).json;
    expect(all.map((s: { ID: string }) => s.ID)).toContain(bvm);
  }, T);

  it('nova boot --poll, nova list, nova hypervisor-list', async () => {
    const nenv = novaEnv(clients.home, { authUrl: `${server.url}/identity/v3`, user: 'admin', password: PW, project: 'admin' });
    await ok(run(NOVA, ['boot', '--flavor', 'f1', '--image', 'cirros', '--poll', 'nova-vm'], nenv), 'nova boot --poll');
    const vm = (await nl(['server', 'show', 'nova-vm'])).server;
    expect(vm.status).toBe('ACTIVE');
    const listed = (await ok(run(NOVA, ['list'], nenv), 'nova list')).stdout;
    expect(listed).toMatch(new RegExp(`${vm.id}\\s*\\|\\s*nova-vm\\s*\\|\\s*ACTIVE`));
    expect(listed).not.toContain(bvm); // another project's server
    const hypervisors = (await ok(run(NOVA, ['hypervisor-list'], nenv), 'nova hypervisor-list')).stdout;
    for (const h of (await nl(['host', 'list'])).hosts) expect(hypervisors).toContain(h.hypervisor_hostname);
    await ok(run(NOVA, ['delete', 'nova-vm'], nenv), 'nova delete');
  }, T);

  it('openstacksdk creates, waits for and deletes a server, and lists flavors with extra specs', async () => {
    const r = await ok(clients.sdk('admin', [
      "img = conn.image.find_image('cirros', ignore_missing=False)",
      "fl = conn.compute.find_flavor('f1', ignore_missing=False)",
      "s = conn.compute.create_server(name='sdk-vm', flavor_id=fl.id, image_id=img.id, networks='none')",
      's = conn.compute.wait_for_server(s, wait=120, interval=1)',
      "out = {'id': s.id, 'status': s.status}",
      'conn.compute.delete_server(s)',
      'conn.compute.wait_for_delete(s, wait=120, interval=1)',
      "out['flavors'] = {f.name: f.extra_specs for f in conn.compute.flavors(get_extra_specs=True)}",
      'print(json.dumps(out))',
    ].join('\n')), 'the openstacksdk script');
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out.status).toBe('ACTIVE');
    expect((await runCli(['server', 'show', out.id, '--json'], env)).code).toBe(3);
    const mine = Object.fromEntries((await nl(['flavor', 'list'])).flavors.map((f: { name: string; extra_specs: object }) => [f.name, f.extra_specs]));
    expect(out.flavors).toEqual(mine);
    expect(out.flavors.f1).toEqual({ 'hw:cpu_policy': 'shared' });
  }, T);

  it("a member of project A gets 404 for project B's server, through the API and openstack server show", async () => {
    const alice = await token(server.url, 'alice', 'projA');
    const other = await get(`/v2.1/servers/${bvm}`, alice);
    expect([other.status, other.body?.itemNotFound?.code]).toEqual([404, 404]);
    const mine = await get('/v2.1/servers/detail', alice);
    expect(mine.status).toBe(200);
    expect(mine.body.servers.map((s: { id: string }) => s.id)).not.toContain(bvm);
    const shown = await clients.osc('alice', ['server', 'show', bvm, '-f', 'json']);
    expect(shown.code).not.toBe(0);
    expect(shown.stderr).toMatch(/No server with a name or ID/);
  }, T);

  it('a member gets 403 on admin APIs (migrations, quota update, usage of all projects)', async () => {
    const alice = await token(server.url, 'alice', 'projA');
    const projA = (await nl(['project', 'show', 'projA'])).project.id;
    const put = await fetch(`${server.url}/v2.1/os-quota-sets/${projA}`, {
      method: 'PUT', headers: { 'x-auth-token': alice, 'content-type': 'application/json' }, body: JSON.stringify({ quota_set: { instances: 1000 } }),
    });
    const answers = [
      ['GET /os-migrations', (await get('/v2.1/os-migrations', alice)).status],
      ['PUT /os-quota-sets', put.status],
      ['GET /os-simple-tenant-usage', (await get('/v2.1/os-simple-tenant-usage', alice)).status],
    ];
    expect(answers).toEqual(answers.map(([what]) => [what, 403]));
  }, T);

  it('a member gets 403 on the hypervisor API (GET /os-hypervisors, openstack hypervisor list)', async () => {
    const alice = await token(server.url, 'alice', 'projA');
    const admin = await get('/v2.1/os-hypervisors', alice);
    expect([admin.status, admin.body?.forbidden?.code]).toEqual([403, 403]);
    const hv = await clients.osc('alice', ['hypervisor', 'list', '-f', 'json']);
    expect(hv.code).not.toBe(0);
    expect(hv.stderr).toMatch(/HTTP 403/);
  }, T);

  it('a forged, a tampered and an expired token get 401', async () => {
    const good = await token(server.url, 'alice', 'projA');
    expect((await get('/v2.1/servers', good)).status).toBe(200);
    const tampered = good.slice(0, -2) + (good.endsWith('AA') ? 'BB' : 'AA');
    for (const bad of ['forged', 'nl1.e30.c2lnbmF0dXJl', tampered]) {
      const r = await get('/v2.1/servers', bad);
      expect([bad, r.status, r.body?.error?.code]).toEqual([bad, 401, 401]);
      expect(r.headers.get('www-authenticate')).toMatch(/^Keystone uri=/);
    }
    // a second server on the same database whose tokens live 3 seconds: its token is signed
    // with the same key, so only its age makes the first server refuse it
    const conf = path.join(env.HOME, 'short-tokens.conf');
    fs.writeFileSync(conf, '[identity]\ntoken_expiration = 3\n');
    const short = await serve({ ...env, NOVALITE_CONFIG_FILE: conf }, ['--auth', 'keystone']);
    try {
      const old = await token(short.url, 'alice', 'projA');
      expect((await get('/v2.1/servers', old)).status).toBe(200);
      await new Promise((res) => setTimeout(res, 4500));
      const r = await get('/v2.1/servers', old);
      expect([r.status, r.body?.error?.code]).toEqual([401, 401]);
    } finally {
      await short.stop();
    }
  }, T);
});
