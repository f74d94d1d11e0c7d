// The SSH transport: host key helpers and error classes without a server, then Ssh2Transport
// and the pool against a real private sshd (test/helpers/sshd.ts) on 127.0.0.1.
import { execFileSync, spawn } from 'child_process';
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { PassThrough, Readable } from 'stream';
import { InvalidInputError, NovaliteError } from '../../../../src/lib/errors';
import {
  HostKeyChangedError, HostKeyUnknownError, SshCommandTimeout, SshConnectError, commandName,
} from '../../../../src/virt/libvirt/ssh/errors';
import {
  fingerprintOf, keyTypeOf, parseFingerprint, pinnedHostKeyFromPublicKeyLine,
} from '../../../../src/virt/libvirt/ssh/host-key';
import { closeAllTransports, probeHostKey, transportFor } from '../../../../src/virt/libvirt/ssh/pool';
import { Ssh2Transport, type Ssh2TransportOptions } from '../../../../src/virt/libvirt/ssh/ssh2-transport';
import type { SshEndpoint } from '../../../../src/virt/libvirt/ssh/transport';
import { describeWithSshd, startSshd, type TestSshd } from '../../../helpers/sshd';

jest.setTimeout(30_000);

/** Every NovaliteError any test saw, checked at the end for leaked secrets. */
const seen: NovaliteError[] = [];
async function failure(p: Promise<unknown>): Promise<NovaliteError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof NovaliteError) seen.push(e);
    return e as NovaliteError;
  }
  throw new Error('expected the call to fail');
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'novalite-ssh-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('host keys', () => {
  const keyFile = path.join(tmp, 'hk');
  beforeAll(() => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]));

  it('fingerprints a key blob exactly as ssh-keygen -lf does', () => {
    const line = fs.readFileSync(`${keyFile}.pub`, 'utf8');
    const blob = Buffer.from(line.split(' ')[1], 'base64');
    const expected = execFileSync('ssh-keygen', ['-lf', `${keyFile}.pub`], { encoding: 'utf8' }).split(' ')[1];
    expect(fingerprintOf(blob)).toBe(expected);
    expect(keyTypeOf(blob)).toBe('ssh-ed25519');
    expect(pinnedHostKeyFromPublicKeyLine(line)).toEqual({ type: 'ssh-ed25519', base64: line.split(' ')[1], fingerprint: expected });
  });

  it('normalises SHA256 fingerprints and refuses everything else naming the flag', () => {
    const fp = fingerprintOf(Buffer.from('x'));
    const body = fp.slice('SHA256:'.length);
    expect(parseFingerprint(fp)).toBe(fp);
    expect(parseFingerprint(`  sha256:${body}=  `)).toBe(fp);
    const bad = ['', 'MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48', '16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48',
      body, `SHA256:${body.slice(1)}`, `SHA256:${body}x`, `SHA1:${body}`, `SHA256:${body.slice(0, 42)}B`, 'ssh-ed25519 AAAA'];
    for (const b of bad) {
      const e = (() => { try { parseFingerprint(b); } catch (err) { return err; } return null; })();
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).exitCode).toBe(2);
      expect((e as Error).message).toContain('--host-key-fingerprint');
    }
  });

  it('refuses malformed blobs and public key lines', () => {
    expect(() => keyTypeOf(Buffer.from([0, 0]))).toThrow(/short/);
    expect(() => keyTypeOf(Buffer.from([0, 0, 0, 200, 65]))).toThrow(/malformed/);
    expect(() => pinnedHostKeyFromPublicKeyLine('ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIA==')).toThrow(InvalidInputError);
    expect(() => pinnedHostKeyFromPublicKeyLine('nonsense')).toThrow(InvalidInputError);
  });
});

describe('SSH errors', () => {
  it('are host errors (exit 6) with stable codes and actionable hints', () => {
    const changed = new HostKeyChangedError('node1', 'SHA256:old', 'SHA256:new');
    expect([changed.code, changed.exitCode]).toEqual(['HOST_KEY_CHANGED', 6]);
    expect(changed.message).toMatch(/node1.*SHA256:old.*SHA256:new/);
    expect(changed.hint).toContain('novalite host repin node1 --host-key-fingerprint SHA256:');
    const unknown = new HostKeyUnknownError('node1', 'SHA256:new');
    expect([unknown.code, unknown.exitCode]).toEqual(['HOST_KEY_UNKNOWN', 6]);
    expect(unknown.hint).toMatch(/--host-key-fingerprint SHA256:.*--accept-new-host-key/);
    const conn = new SshConnectError('root@h:22', 'connection refused');
    expect([conn.code, conn.exitCode, conn.message]).toEqual(['SSH_CONNECT_FAILED', 6, 'Cannot connect over SSH to root@h:22: connection refused.']);
  });

  it('name only the first word of a command, never its arguments or env values', () => {
    const t = new SshCommandTimeout('root@h:22', "PASS=hunter2 virsh secret-set-value --base64 'c2VjcmV0'", 1500);
    expect([t.code, t.exitCode]).toEqual(['SSH_COMMAND_TIMEOUT', 6]);
    expect(t.message).toContain('`virsh`');
    expect(JSON.stringify(t.toJSON())).not.toMatch(/hunter2|c2VjcmV0|secret-set-value/);
    expect(commandName("'/opt/my tool' x")).toBe('/opt/my tool');
    expect(commandName("KEY='a b c' TOKEN=x\\'y virsh list")).toBe('virsh');
    expect(commandName('   ')).toBe('(empty command)');
  });
});

describeWithSshd('Ssh2Transport against a real sshd', () => {
  let sshd: TestSshd;
  let ep: SshEndpoint;
  const own: Ssh2Transport[] = [];
  const make = (e: Partial<SshEndpoint> = {}, o: Ssh2TransportOptions = {}): Ssh2Transport => {
    const t = new Ssh2Transport({ ...ep, ...e }, o);
    own.push(t);
    return t;
  };
  const accepted = (): number => (sshd.log().match(/Accepted publickey/g) ?? []).length;

  beforeAll(async () => {
    sshd = await startSshd();
    ep = { host: '127.0.0.1', port: sshd.port, user: sshd.user, keyPath: sshd.keyPath, hostKey: pinnedHostKeyFromPublicKeyLine(sshd.hostKeyPub) };
  });
  afterAll(async () => {
    await Promise.all(own.map((t) => t.shutdown()));
    await closeAllTransports();
    await sshd?.stop();
  });

  it('runs commands: stdout, stderr, exit codes, signals', async () => {
    const t = make();
    expect(await t.exec('echo out; echo err >&2; exit 3')).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
    expect(await t.exec('printf %s "héllo ✓"')).toEqual({ code: 0, stdout: 'héllo ✓', stderr: '' });
    expect((await t.exec('kill -TERM $$')).code).toBe(128 + 15);
    expect((await t.exec('exit 255')).code).toBe(255);
  });

  it('passes stdin, text and binary, and closes it when there is none', async () => {
    const t = make();
    expect((await t.exec('cat', { stdin: 'SECRET-STDIN-1\nline 2' })).stdout).toBe('SECRET-STDIN-1\nline 2');
    const bin = randomBytes(300_000);
    const r = await t.exec('sha256sum', { stdin: bin });
    expect(r.stdout.split(' ')[0]).toBe(createHash('sha256').update(bin).digest('hex'));
    expect(await t.exec('cat; echo done')).toEqual({ code: 0, stdout: 'done\n', stderr: '' });
  });

  it('caps output and marks the truncation', async () => {
    const t = make({}, { maxOutputBytes: 1000 });
    const r = await t.exec("head -c 5000 /dev/zero | tr '\\0' a; echo E >&2");
    expect(r.stdout.startsWith('a'.repeat(1000))).toBe(true);
    expect(r.stdout).toMatch(/^a{1000}\n\[novalite: output truncated, 4000 more bytes dropped\]\n$/);
    expect(r.stderr).toBe('E\n');
  });

  it('streams with pipe(): input to stdin, stdout to the output stream', async () => {
    const t = make();
    const big = randomBytes(3 * 1024 * 1024);
    const out = new PassThrough();
    const got: Buffer[] = [];
    out.on('data', (c: Buffer) => got.push(c));
    const chunks = Array.from({ length: 12 }, (_, i) => big.subarray(i * 262144, (i + 1) * 262144));
    const r = await t.pipe('cat', { input: Readable.from(chunks), output: out });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(Buffer.concat(got).equals(big)).toBe(true);
  });

  it('multiplexes 20 parallel commands over one connection, queueing beyond 8 channels', async () => {
    const t = make();
    const before = accepted();
    const t0 = Date.now();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => t.exec(`sleep 0.3; echo ${i}`)));
    const elapsed = Date.now() - t0;
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 20 }, (_, i) => `${i}\n`));
    expect(t.connectCount).toBe(1);
    await new Promise((r) => setTimeout(r, 100)); // the log line is written by another process
    expect(accepted() - before).toBe(1);
    // 20 commands through 8 channels is three rounds of 0.3 s; unlimited would be one.
    expect(elapsed).toBeGreaterThanOrEqual(850);
  });

  it('times out a command, kills it, names only its first word, and stays usable', async () => {
    const t = make();
    const t0 = Date.now();
    const e = await failure(t.exec('sleep 29.123', { timeoutMs: 400 }));
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(e).toBeInstanceOf(SshCommandTimeout);
    expect([e.code, e.exitCode]).toEqual(['SSH_COMMAND_TIMEOUT', 6]);
    expect(e.message).toContain('`sleep`');
    expect(e.message).not.toContain('29.123');
    // The remote deadline (timeout -s KILL, 1 s after ours) kills the command on the host too.
    await new Promise((r) => setTimeout(r, 1500));
    expect(() => execFileSync('pgrep', ['-f', 'sleep 29.123'])).toThrow(); // pgrep exits 1: none left
    const e2 = await failure(t.exec('sleep 5; echo SECRET-ARG', { timeoutMs: 300, stdin: 'SECRET-STDIN-2' }));
    expect(e2.message).not.toMatch(/SECRET/);
    expect((await t.exec('echo still here')).stdout).toBe('still here\n');
    expect(t.connectCount).toBe(1);
  });

  it('writes, uploads and reads files atomically over one SFTP session', async () => {
    const t = make();
    const dir = fs.mkdtempSync(path.join(tmp, 'files-'));
    const sftpBefore = (sshd.log().match(/subsystem 'sftp'/g) ?? []).length;
    await t.writeFile(`${dir}/a.xml`, '<domain/>');
    expect((await t.readFile(`${dir}/a.xml`))?.toString()).toBe('<domain/>');
    await t.writeFile(`${dir}/a.xml`, Buffer.from([0, 1, 2, 255]), { mode: 0o640 });
    expect([...fs.readFileSync(`${dir}/a.xml`)]).toEqual([0, 1, 2, 255]);
    expect(fs.statSync(`${dir}/a.xml`).mode & 0o777).toBe(0o640);
    const local = path.join(tmp, 'disk.img');
    fs.writeFileSync(local, randomBytes(1024 * 1024 + 7));
    await t.upload(local, `${dir}/disk.img`, { mode: 0o600 });
    await t.upload(local, `${dir}/disk.img`); // replaces an existing file
    expect(fs.readFileSync(`${dir}/disk.img`).equals(fs.readFileSync(local))).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(['a.xml', 'disk.img']); // no temp files left
    expect(await t.readFile(`${dir}/missing`)).toBeNull();
    expect(await t.readFile(`${dir}/no/such/dir/file`)).toBeNull();
    const e = await failure(t.writeFile(`${dir}/no/such/dir/file`, 'x'));
    expect([e.code, e.exitCode]).toEqual(['SSH_TRANSFER_FAILED', 6]);
    expect(e.message).toContain(`${dir}/no/such/dir/file`);
    expect(fs.readdirSync(dir).sort()).toEqual(['a.xml', 'disk.img']);
    await new Promise((r) => setTimeout(r, 100));
    expect((sshd.log().match(/subsystem 'sftp'/g) ?? []).length - sftpBefore).toBe(1);
  });

  it('accepts a key pinned by fingerprint alone', async () => {
    const t = make({ hostKey: { type: 'ssh-ed25519', base64: '', fingerprint: sshd.hostKeyFingerprint } });
    expect((await t.exec('true')).code).toBe(0);
  });

  it('refuses an unknown host key without acceptNewHostKey', async () => {
    const t = make({ hostKey: null }, { hostName: 'node9' });
    const e = await failure(t.exec('true'));
    expect(e).toBeInstanceOf(HostKeyUnknownError);
    expect([e.code, e.exitCode]).toEqual(['HOST_KEY_UNKNOWN', 6]);
    expect(e.message).toContain(sshd.hostKeyFingerprint);
    expect(t.offeredHostKey).toBeNull();
  });

  it('records the offered key with acceptNewHostKey, as ssh-keygen -lf prints it', async () => {
    const t = make({ hostKey: null }, { acceptNewHostKey: true });
    expect((await t.exec('echo ok')).stdout).toBe('ok\n');
    expect(t.offeredHostKey).toEqual({ type: 'ssh-ed25519', base64: sshd.hostKeyPub.split(' ')[1], fingerprint: sshd.hostKeyFingerprint });
    const printed = execFileSync('ssh-keygen', ['-lf', `${sshd.hostKeyPath}.pub`], { encoding: 'utf8' }).split(' ')[1];
    expect(t.offeredHostKey?.fingerprint).toBe(printed);
  });

  it('refuses a host key that differs from the pinned one', async () => {
    const other = pinnedHostKeyFromPublicKeyLine(fs.readFileSync(`${sshd.newClientKey('not-the-host')}.pub`, 'utf8'));
    const t = make({ hostKey: other }, { hostName: 'node3' });
    const e = await failure(t.exec('true'));
    expect(e).toBeInstanceOf(HostKeyChangedError);
    expect(e.message).toContain(other.fingerprint);
    expect(e.message).toContain(sshd.hostKeyFingerprint);
  });

  it('probeHostKey learns the key without authenticating', async () => {
    const before = accepted();
    const key = await probeHostKey({ host: '127.0.0.1', port: sshd.port, user: sshd.user });
    expect(key).toEqual(pinnedHostKeyFromPublicKeyLine(sshd.hostKeyPub));
    await new Promise((r) => setTimeout(r, 100));
    expect(accepted()).toBe(before);
  });

  it('reports a refused client key, an unreadable or unusable key file', async () => {
    const wrong = await failure(make({ keyPath: sshd.newClientKey('wrong') }).exec('true'));
    expect(wrong).toBeInstanceOf(SshConnectError);
    expect([wrong.code, wrong.exitCode]).toEqual(['SSH_CONNECT_FAILED', 6]);
    expect(wrong.message).toContain(`${sshd.user}@127.0.0.1:${sshd.port}`);
    expect(wrong.message).toContain('authentication refused');
    const missing = await failure(make({ keyPath: path.join(tmp, 'nokey') }).exec('true'));
    expect(missing.message).toMatch(/cannot read the private key .*nokey \(ENOENT\)/);
    expect(missing.hint).toContain('--key');
    const garbage = path.join(tmp, 'garbage-key');
    fs.writeFileSync(garbage, '-----BEGIN OPENSSH PRIVATE KEY-----\nPRIVATE-KEY-TEXT-XYZ\n-----END OPENSSH PRIVATE KEY-----\n');
    const bad = await failure(make({ keyPath: garbage }).exec('true'));
    expect(bad.message).toContain('not a usable');
    expect(JSON.stringify(bad.toJSON())).not.toContain('PRIVATE-KEY-TEXT-XYZ');
  });

  it('reports a refused connection and a handshake timeout', async () => {
    const srv = net.createServer((s) => s.resume()); // accepts, never speaks SSH
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const silentPort = (srv.address() as net.AddressInfo).port;
    const slow = await failure(make({ port: silentPort }, { readyTimeoutMs: 300 }).exec('true'));
    expect(slow.message).toMatch(/timed out after 0.3 s/);
    await new Promise<void>((r) => srv.close(() => r()));
    const refused = await failure(make({ port: silentPort }).exec('true'));
    expect(refused.message).toContain('connection refused');
  });

  it('logs first words and timings only through the debug hook', async () => {
    const lines: string[] = [];
    const t = make({}, { log: (l) => lines.push(l) });
    await t.exec('echo SECRET-LOG-ARG', { stdin: 'SECRET-LOG-STDIN' });
    await t.writeFile(path.join(tmp, 'logged'), 'SECRET-LOG-DATA');
    expect(lines.some((l) => /echo: exit 0 in \d+ ms/.test(l))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/SECRET/);
  });

  it('close() drops the connection and the next call reconnects', async () => {
    const t = make();
    await t.exec('true');
    t.close();
    expect((await t.exec('echo again')).stdout).toBe('again\n');
    expect(t.connectCount).toBe(2);
  });

  it('shares one transport per endpoint through the pool', async () => {
    const a = transportFor(ep);
    expect(transportFor({ ...ep, hostKey: { ...ep.hostKey! } })).toBe(a);
    expect(transportFor({ ...ep, keyPath: `${ep.keyPath}.other` })).not.toBe(a);
    await Promise.all([a.exec('true'), transportFor(ep).exec('true')]);
    expect(a.connectCount).toBe(1);
  });

  it('lets a CLI-like process exit promptly with an idle pooled connection', async () => {
    const script = path.join(tmp, 'cli.js');
    fs.writeFileSync(script, `
      const fs = require('fs'); const ts = require(${JSON.stringify(require.resolve('typescript'))});
      require.extensions['.ts'] = (m, f) => m._compile(ts.transpileModule(fs.readFileSync(f, 'utf8'),
        { fileName: f, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText, f);
      const { transportFor } = require(${JSON.stringify(path.resolve(__dirname, '../../../../src/virt/libvirt/ssh/pool.ts'))});
      transportFor(JSON.parse(process.argv[2])).exec('sleep 0.5; echo hi').then((r) => console.log('DONE ' + r.stdout.trim()));
    `);
    const child = spawn(process.execPath, [script, JSON.stringify(ep)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let doneAt = 0;
    child.stdout.on('data', (d) => { out += d; if (out.includes('DONE')) doneAt ||= Date.now(); });
    const killer = setTimeout(() => child.kill('SIGKILL'), 12_000);
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    clearTimeout(killer);
    expect(out.trim()).toBe('DONE hi'); // not exited early while the command was in flight
    expect(code).toBe(0);
    expect(Date.now() - doneAt).toBeLessThan(1500);
  });

  it('never puts key text or stdin data in any error', () => {
    const keyText = fs.readFileSync(sshd.keyPath, 'utf8');
    const keyLines = keyText.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
    expect(seen.length).toBeGreaterThan(5);
    for (const e of seen) {
      const text = `${e.message}\n${e.hint ?? ''}\n${JSON.stringify(e.toJSON())}`;
      expect(text).not.toMatch(/SECRET|PRIVATE-KEY-TEXT/);
      for (const l of keyLines) expect(text).not.toContain(l);
    }
  });
});

describeWithSshd('Ssh2Transport when the host goes away', () => {
  let sshd: TestSshd;
  let ep: SshEndpoint;
  beforeAll(async () => {
    sshd = await startSshd();
    ep = { host: '127.0.0.1', port: sshd.port, user: sshd.user, keyPath: sshd.keyPath, hostKey: pinnedHostKeyFromPublicKeyLine(sshd.hostKeyPub) };
  });
  afterAll(async () => {
    await closeAllTransports();
    await sshd?.stop();
  });

  it('fails with SshConnectError while sshd is down, then reconnects when it is back', async () => {
    const t = new Ssh2Transport(ep);
    expect((await t.exec('echo 1')).stdout).toBe('1\n');
    await sshd.kill();
    const e = await failure(t.exec('echo 2'));
    expect(e).toBeInstanceOf(SshConnectError);
    expect(e.message).toContain('connection refused');
    await sshd.start();
    expect((await t.exec('echo 3')).stdout).toBe('3\n');
    expect(t.connectCount).toBe(2);
    await t.shutdown();
  });

  it('does not retry a command the dropped connection had already sent', async () => {
    const t = new Ssh2Transport(ep);
    const counter = path.join(tmp, 'ran-count');
    const failed = failure(t.exec(`echo ran >> ${counter}; sleep 5`)); // handled from the start
    for (let i = 0; i < 100 && !fs.existsSync(counter); i++) await new Promise((r) => setTimeout(r, 50));
    await sshd.kill();
    const e = await failed;
    expect([e.code, e.exitCode]).toEqual(['SSH_CONNECTION_LOST', 6]);
    await sshd.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(fs.readFileSync(counter, 'utf8')).toBe('ran\n');
    await t.shutdown();
  });

  it('drops a connection whose peer went silent (keepalive) and reconnects', async () => {
    const t = new Ssh2Transport(ep, { keepaliveIntervalMs: 150, keepaliveCountMax: 2 });
    expect((await t.exec('echo 1')).stdout).toBe('1\n');
    const unfreeze = sshd.freezeConnections();
    try {
      await new Promise((r) => setTimeout(r, 800)); // > (countMax + 1) * interval
      expect((await t.exec('echo 2', { timeoutMs: 5000 })).stdout).toBe('2\n');
      expect(t.connectCount).toBe(2);
    } finally {
      unfreeze();
      await t.shutdown();
    }
  });

  it('refuses a reinstalled host (new host key) on the next connection', async () => {
    const t = transportFor(ep, { hostName: 'node7' });
    const old = sshd.hostKeyFingerprint;
    expect((await t.exec('true')).code).toBe(0);
    await sshd.restartWithNewHostKey();
    const e = await failure(t.exec('true'));
    expect(e).toBeInstanceOf(HostKeyChangedError);
    expect([e.code, e.exitCode]).toEqual(['HOST_KEY_CHANGED', 6]);
    expect(e.message).toContain(old);
    expect(e.message).toContain(sshd.hostKeyFingerprint);
    expect(e.hint).toContain('novalite host repin node7 --host-key-fingerprint SHA256:');
    // Re-pinned: the pool hands out a new transport that works.
    const repinned = transportFor({ ...ep, hostKey: pinnedHostKeyFromPublicKeyLine(sshd.hostKeyPub) });
    expect(repinned).not.toBe(t);
    expect((await repinned.exec('echo ok')).stdout).toBe('ok\n');
  });
});
