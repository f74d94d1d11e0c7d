/**
 * The SSH side of hosts without a real host: `host add --driver libvirt` refuses bad input with
 * exit 2 (before any connection: a local TCP listener counts attempts), a taken name with exit 4,
 * an unreachable host with exit 6 — and registers nothing; `host add --driver fake` needs its
 * sizes; `host repin` and `server xml` refuse fake hosts (exit 2) and unknown names (exit 3).
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as net from 'node:net';
import * as path from 'node:path';
import { runCli, serverCloud } from '../helpers/cli';

jest.setTimeout(120000);

type Json = Record<string, any>;

describe('host add --driver libvirt, refused without a real host', () => {
  let env: Record<string, string>;
  let key: string;
  let listener: net.Server;
  let port: number;
  let closedPort: number;
  let attempts = 0;
  const run = (...argv: string[]) => runCli([...argv, '--json'], env);
  /** A libvirt host add aimed at the counting listener, with a readable key and `extra` flags. */
  const add = (name: string, ...extra: string[]) => run('host', 'add', name, '--driver', 'libvirt', '--address', '127.0.0.1', '--port', String(port), '--key', key, ...extra);
  const hostNames = async () => (await run('host', 'list')).json.hosts.map((h: Json) => h.name);
  const fingerprint = `SHA256:${createHash('sha256').update(randomBytes(32)).digest('base64').replace(/=+$/, '')}`;

  /** Runs `argv`, expects exit 2 with `code` (and message `msg`), no connection, nothing registered. */
  async function refused(r: Promise<{ code: number; json: any }>, code: string, msg?: RegExp) {
    const before = attempts;
    const { code: exit, json } = await r;
    expect([exit, json.error.code]).toEqual([2, code]);
    if (msg) expect(json.error.message).toMatch(msg);
    expect(attempts).toBe(before);
    expect(await hostNames()).toEqual(['h1']);
  }

  beforeAll(async () => {
    env = await serverCloud();
    key = path.join(env.HOME, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    // Accepts a TCP connection and hangs up at once: counts attempts, and is no SSH server.
    listener = net.createServer((s) => { attempts++; s.destroy(); });
    await new Promise<void>((res) => listener.listen(0, '127.0.0.1', res));
    port = (listener.address() as net.AddressInfo).port;
    const probe = net.createServer();
    await new Promise<void>((res) => probe.listen(0, '127.0.0.1', res));
    closedPort = (probe.address() as net.AddressInfo).port;
    await new Promise((res) => probe.close(res));
  });

  afterAll(async () => {
    await new Promise((res) => listener.close(res));
  });

  it('--address or --key missing → exit 2 with the message', async () => {
    const noAddress = await run('host', 'add', 'k1', '--driver', 'libvirt', '--key', key, '--accept-new-host-key');
    expect([noAddress.code, noAddress.json.error.message]).toEqual([2, 'A libvirt host needs --address and --key.']);
    const noKey = await run('host', 'add', 'k1', '--address', '127.0.0.1', '--accept-new-host-key'); // libvirt is the default driver
    expect([noKey.code, noKey.json.error.message]).toEqual([2, 'A libvirt host needs --address and --key.']);
    expect(await hostNames()).toEqual(['h1']);
  });

  it('an unreadable key → exit 2 SSH_KEY_UNREADABLE naming the path', async () => {
    const missing = path.join(env.HOME, 'no-such-key');
    await refused(run('host', 'add', 'k1', '--driver', 'libvirt', '--address', '127.0.0.1', '--port', String(port), '--key', missing, '--accept-new-host-key'),
      'SSH_KEY_UNREADABLE', new RegExp(missing));
  });

  it('neither --host-key-fingerprint nor --accept-new-host-key → exit 2 HOST_KEY_UNKNOWN, before connecting', async () => {
    await refused(add('k1'), 'HOST_KEY_UNKNOWN', /--host-key-fingerprint SHA256:.*--accept-new-host-key/);
  });

  it('a malformed or MD5 fingerprint → exit 2, before connecting', async () => {
    await refused(add('k1', '--host-key-fingerprint', 'MD5:aa'), 'INVALID_HOST_KEY_FINGERPRINT', /MD5/);
    await refused(add('k1', '--host-key-fingerprint', 'SHA256:short'), 'INVALID_HOST_KEY_FINGERPRINT');
  });

  it('bad flags → exit 2 before connecting: --network with --bridge, a hostile --instances-path or --address, --fake-* with libvirt', async () => {
    const accept = '--accept-new-host-key';
    await refused(add('k1', accept, '--network', 'default', '--bridge', 'br0'), 'INVALID_INPUT', /--network or --bridge, not both/);
    await refused(add('k1', accept, '--instances-path', '/tmp/$(x)'), 'INVALID_INPUT', /--instances-path/);
    await refused(add('k1', accept, '--instances-path', '/var/../etc'), 'INVALID_INPUT', /--instances-path/);
    await refused(add('k1', accept, '--instances-path', 'relative/dir'), 'INVALID_INPUT', /--instances-path/);
    await refused(add('k1', accept, '--bridge', 'br0;reboot'), 'INVALID_INPUT', /--bridge/);
    await refused(run('host', 'add', 'k1', '--driver', 'libvirt', '--address', '-oProxyCommand=touch /tmp/x', '--key', key, accept), 'INVALID_INPUT', /--address/);
    await refused(add('k1', accept, '--fake-fail', 'spawn'), 'INVALID_INPUT', /--fake-\* flags go with --driver fake/);
    await refused(add('k1', accept, '--fake-spawn-seconds', '1'), 'INVALID_INPUT', /--fake-\*/);
    await refused(add('bad name!', accept), 'INVALID_INPUT');
    // Sizes, ratios and timeouts are checked before the probe, not after a wasted connection.
    await refused(add('k1', accept, '--vcpus', '0'), 'INVALID_INPUT', /--vcpus/);
    await refused(add('k1', accept, '--cpu-allocation-ratio', '-1'), 'INVALID_INPUT', /--cpu-allocation-ratio/);
    await refused(add('k1', accept, '--shutdown-timeout', '-5'), 'INVALID_INPUT', /--shutdown-timeout/);
  });

  it('a name already taken → exit 4 HOST_EXISTS, before connecting', async () => {
    const before = attempts;
    const r = await add('h1', '--accept-new-host-key');
    expect([r.code, r.json.error.code]).toEqual([4, 'HOST_EXISTS']);
    expect(attempts).toBe(before);
  });

  it('an unreachable address (closed port) → exit 6, nothing registered', async () => {
    for (const pin of [['--accept-new-host-key'], ['--host-key-fingerprint', fingerprint]]) {
      const r = await run('host', 'add', 'k1', '--driver', 'libvirt', '--address', '127.0.0.1', '--port', String(closedPort), '--key', key, ...pin);
      expect([r.code, r.json.error.code]).toEqual([6, 'SSH_CONNECT_FAILED']);
      expect(r.json.error.message).toMatch(/connection refused/);
      expect(await hostNames()).toEqual(['h1']);
      expect((await run('host', 'show', 'k1')).code).toBe(3);
    }
  });

  it('a listener that is no SSH server → exit 6, nothing registered (and the attempt was counted: the checks above can fail)', async () => {
    const before = attempts;
    const r = await add('k1', '--accept-new-host-key');
    expect(r.code).toBe(6);
    expect(attempts).toBeGreaterThan(before);
    expect(await hostNames()).toEqual(['h1']);
  });

  it('a fake host without --vcpus, --memory-mb or --disk-gb → exit 2 naming the flag', async () => {
    const r = await run('host', 'add', 'f2', '--driver', 'fake', '--memory-mb', '1024', '--disk-gb', '10');
    expect([r.code, r.json.error.message]).toEqual([2, 'A fake host needs --vcpus.']);
    expect((await run('host', 'add', 'f2', '--driver', 'fake', '--vcpus', '2', '--disk-gb', '10')).json.error.message).toBe('A fake host needs --memory-mb.');
    expect(await hostNames()).toEqual(['h1']);
  });

  it('host repin: a fake host → exit 2 NOT_SUPPORTED; unknown → 3; neither flag → 2 (whatever the host)', async () => {
    const fake = await run('host', 'repin', 'h1', '--accept-new-host-key');
    expect([fake.code, fake.json.error.code]).toEqual([2, 'NOT_SUPPORTED']);
    expect(fake.json.error.message).toMatch(/driver fake/);
    expect((await run('host', 'repin', 'h1', '--host-key-fingerprint', fingerprint)).json.error.code).toBe('NOT_SUPPORTED');
    const unknown = await run('host', 'repin', 'nope', '--accept-new-host-key');
    expect([unknown.code, unknown.json.error.message]).toEqual([3, expect.stringMatching(/nope/)]);
    for (const name of ['h1', 'nope']) {
      const r = await run('host', 'repin', name);
      expect([r.code, r.json.error.code]).toEqual([2, 'INVALID_INPUT']);
      expect(r.json.error.message).toMatch(/--host-key-fingerprint SHA256:… or --accept-new-host-key/);
    }
    expect((await run('host', 'show', 'h1')).json.host).toMatchObject({ last_error: null, unreachable_since: null });
  });

  it('server xml on a fake host → exit 2 NOT_SUPPORTED naming the fake driver (with or without --diff); unknown server → 3', async () => {
    const s = (await run('server', 'create', 'x1', '--flavor', 'f1', '--image', 'cirros', '--wait')).json.server;
    expect(s.status).toBe('ACTIVE');
    for (const extra of [[], ['--diff']]) {
      const r = await run('server', 'xml', 'x1', ...extra);
      expect([r.code, r.json.error.code]).toEqual([2, 'NOT_SUPPORTED']);
      expect(r.json.error.message).toBe('Host h1 uses the fake driver, which has no domain XML.');
    }
    const human = await runCli(['server', 'xml', s.id], env);
    expect([human.code, human.stdout]).toEqual([2, '']);
    expect(human.stderr).toMatch(/fake driver/);
    const nope = await run('server', 'xml', 'nope');
    expect([nope.code, nope.json.error.code]).toEqual([3, expect.stringMatching(/NOT_FOUND/)]);
  });
});
