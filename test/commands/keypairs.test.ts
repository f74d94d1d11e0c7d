/** `keypair create/list/show/delete`: --json shapes (Nova os-keypairs), generation, import validation, private key files, exit codes. */
import { spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isolatedEnv, runCli } from '../helpers/cli';

jest.setTimeout(60000);

const FP_MD5 = /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/;
const hasSshKeygen = spawnSync('ssh-keygen', ['-?']).error === undefined;

/** Nova's fingerprint, computed here independently: MD5 of the base64-decoded key blob. */
const md5Fingerprint = (line: string) => createHash('md5').update(Buffer.from(line.split(' ')[1], 'base64')).digest('hex').match(/../g)!.join(':');
const sshString = (b: Buffer) => { const l = Buffer.alloc(4); l.writeUInt32BE(b.length); return Buffer.concat([l, b]); };
const mpint = (b: Buffer) => sshString(b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);

function ed25519Line(comment = 'me@laptop'): string {
  const x = Buffer.from(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!, 'base64url');
  return `ssh-ed25519 ${Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(x)]).toString('base64')} ${comment}`;
}

function rsaLine(bits = 2048): string {
  const jwk = generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ format: 'jwk' });
  const blob = Buffer.concat([sshString(Buffer.from('ssh-rsa')), mpint(Buffer.from(jwk.e!, 'base64url')), mpint(Buffer.from(jwk.n!, 'base64url'))]);
  return `ssh-rsa ${blob.toString('base64')} rsa@host`;
}

describe('keypair commands', () => {
  let env: Record<string, string>;
  let dir: string;
  const cli = (...argv: string[]) => runCli([...argv, '--json'], env);
  const names = async () => (await cli('keypair', 'list')).json.keypairs.map((k: { keypair: { name: string } }) => k.keypair.name);
  const write = (name: string, text: string) => { const p = path.join(dir, name); fs.writeFileSync(p, text); return p; };

  beforeAll(async () => {
    env = isolatedEnv();
    dir = fs.mkdtempSync(path.join(env.HOME, 'keys-'));
    expect((await runCli(['api-db', 'sync'], env)).code).toBe(0);
    expect((await runCli(['db', 'sync'], env)).code).toBe(0);
  });

  it('keypair create generates an ed25519 key and returns the private key once', async () => {
    const r = await cli('keypair', 'create', 'k1');
    expect(r.code).toBe(0);
    expect(r.json).toEqual({
      keypair: {
        name: 'k1', public_key: expect.stringMatching(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5\S+ k1$/), fingerprint: expect.stringMatching(FP_MD5),
        type: 'ssh', user_id: 'admin', created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        private_key: expect.stringMatching(/^-----BEGIN OPENSSH PRIVATE KEY-----\n[\s\S]+\n-----END OPENSSH PRIVATE KEY-----\n$/),
      },
    });
    expect(r.json.keypair.fingerprint).toBe(md5Fingerprint(r.json.keypair.public_key));
    const shown = await cli('keypair', 'show', 'k1');
    expect(shown.code).toBe(0);
    const { private_key: _pk, ...rest } = r.json.keypair;
    expect(shown.json).toEqual({ keypair: rest });
    if (hasSshKeygen) {
      const key = path.join(dir, 'k1.pem');
      fs.writeFileSync(key, r.json.keypair.private_key, { mode: 0o600 });
      const y = spawnSync('ssh-keygen', ['-y', '-f', key], { encoding: 'utf8' });
      expect(y.status).toBe(0);
      expect(y.stdout.trim().split(' ').slice(0, 2)).toEqual(r.json.keypair.public_key.split(' ').slice(0, 2));
    }
  });

  it('in human mode the private key goes to stdout', async () => {
    const r = await runCli(['keypair', 'create', 'human'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END OPENSSH PRIVATE KEY-----\n$/);
    expect(r.stderr).toMatch(/Save this private key/);
  });

  it('--private-key FILE writes it with mode 0600 and leaves it out of the output', async () => {
    const file = path.join(dir, 'k2');
    const r = await cli('keypair', 'create', 'k2', '--private-key', file);
    expect(r.code).toBe(0);
    expect(r.json.keypair).not.toHaveProperty('private_key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    if (hasSshKeygen) {
      const y = spawnSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' });
      expect(y.stdout.split(' ')[1]).toBe(r.json.keypair.public_key.split(' ')[1]);
    }
  });

  it('an existing --private-key FILE is never overwritten (exit 4) and no key pair is created', async () => {
    const file = write('taken', 'precious');
    const r = await cli('keypair', 'create', 'k3', '--private-key', file);
    expect(r.code).toBe(4);
    expect(r.json.error.code).toBe('FILE_EXISTS');
    expect(fs.readFileSync(file, 'utf8')).toBe('precious');
    expect((await cli('keypair', 'create', 'k3', '--private-key', path.join(dir, 'k2'))).code).toBe(4);
    expect(fs.readFileSync(path.join(dir, 'k2'), 'utf8')).toMatch(/^-----BEGIN OPENSSH/);
    expect((await cli('keypair', 'show', 'k3')).code).toBe(3);
  });

  it('a --private-key FILE in a missing directory exits 2 and creates nothing', async () => {
    const r = await cli('keypair', 'create', 'k4', '--private-key', path.join(dir, 'no', 'such', 'dir', 'key'));
    expect(r.code).toBe(2);
    expect((await cli('keypair', 'show', 'k4')).code).toBe(3);
  });

  it('a duplicate name exits 4', async () => {
    const r = await cli('keypair', 'create', 'k1');
    expect(r.code).toBe(4);
    expect(r.json.error.code).toBe('KEYPAIR_EXISTS');
    expect((await cli('keypair', 'create', 'k1', '--public-key', write('dup.pub', ed25519Line()))).code).toBe(4);
  });

  it('--public-key imports ed25519, RSA and ECDSA keys with Nova\'s fingerprint', async () => {
    const ed = ed25519Line();
    const a = await cli('keypair', 'create', 'laptop', '--public-key', write('ed.pub', `${ed}\n`));
    expect(a.code).toBe(0);
    expect(a.json).toEqual({ keypair: { name: 'laptop', public_key: ed, fingerprint: md5Fingerprint(ed), type: 'ssh', user_id: 'admin', created_at: expect.any(String) } });
    const rsa = rsaLine();
    const b = await cli('keypair', 'create', 'rsa', '--public-key', write('rsa.pub', rsa));
    expect(b.code).toBe(0);
    expect(b.json.keypair.fingerprint).toBe(md5Fingerprint(rsa));
    if (hasSshKeygen) {
      const l = spawnSync('ssh-keygen', ['-l', '-E', 'md5', '-f', path.join(dir, 'rsa.pub')], { encoding: 'utf8' });
      expect(l.stdout).toContain(`MD5:${b.json.keypair.fingerprint}`);
      const ec = path.join(dir, 'ec');
      expect(spawnSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-b', '384', '-N', '', '-f', ec]).status).toBe(0);
      const c = await cli('keypair', 'create', 'ec', '--public-key', `${ec}.pub`);
      expect(c.code).toBe(0);
      expect(spawnSync('ssh-keygen', ['-l', '-E', 'md5', '-f', `${ec}.pub`], { encoding: 'utf8' }).stdout).toContain(`MD5:${c.json.keypair.fingerprint}`);
    }
  });

  const ed = () => ed25519Line().split(' ')[1];
  it.each([
    ['garbage', () => 'hello world'],
    ['an empty file', () => ''],
    ['data that is not base64', () => 'ssh-ed25519 AAAA$$$$ x'],
    ['an unsupported type', () => `ssh-dss ${ed()} x`],
    ['a type that does not match the data', () => `ssh-rsa ${ed()} x`],
    ['truncated key data', () => `ssh-ed25519 ${Buffer.from(ed(), 'base64').subarray(0, 30).toString('base64')} x`],
    ['trailing bytes', () => `ssh-ed25519 ${Buffer.concat([Buffer.from(ed(), 'base64'), Buffer.from([1, 2, 3])]).toString('base64')} x`],
    ['two keys', () => `${ed25519Line()}\n${ed25519Line()}`],
    ['a private key', () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()],
    ['an RSA key of 512 bits', () => rsaLine(512)],
    ['an ECDSA point off the curve', () => {
      const q = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]);
      return `ecdsa-sha2-nistp256 ${Buffer.concat([sshString(Buffer.from('ecdsa-sha2-nistp256')), sshString(Buffer.from('nistp256')), sshString(q)]).toString('base64')}`;
    }],
  ])('a public key with %s exits 2 and creates nothing', async (_what, make) => {
    const before = await names();
    const r = await cli('keypair', 'create', 'bad', '--public-key', write('bad.pub', make()));
    expect(r.code).toBe(2);
    expect(r.json.error.code).toBe('INVALID_KEYPAIR');
    expect(await names()).toEqual(before);
  });

  it('a missing --public-key file exits 2; --public-key with --private-key exits 2', async () => {
    expect((await cli('keypair', 'create', 'bad', '--public-key', path.join(dir, 'nope.pub'))).code).toBe(2);
    expect((await cli('keypair', 'create', 'bad', '--public-key', write('ok.pub', ed25519Line()), '--private-key', path.join(dir, 'x'))).code).toBe(2);
    expect(fs.existsSync(path.join(dir, 'x'))).toBe(false);
  });

  it.each([['a slash', 'a/b'], ['a hash', 'bad#name'], ['only spaces', '   '], ['256 characters', 'k'.repeat(256)], ['a newline', 'a\nb']])(
    'a name with %s exits 2', async (_what, name) => {
      const r = await cli('keypair', 'create', name);
      expect(r.code).toBe(2);
      expect(r.json.error.code).toBe('INVALID_INPUT');
    });

  it('Nova\'s name characters are accepted (letters, digits, space, _ - . @)', async () => {
    const r = await cli('keypair', 'create', 'Ops key_1-v2.0@site', '--public-key', write('ops.pub', ed25519Line()));
    expect(r.code).toBe(0);
    expect((await cli('keypair', 'create', 'k'.repeat(255), '--public-key', write('long.pub', ed25519Line()))).code).toBe(0);
  });

  it('--type x509 generates a self-signed certificate (fingerprint: SHA-1 of it) and imports one', async () => {
    const r = await cli('keypair', 'create', 'win', '--type', 'x509');
    expect(r.code).toBe(0);
    expect(r.json.keypair).toMatchObject({ type: 'x509', fingerprint: expect.stringMatching(/^([0-9a-f]{2}:){19}[0-9a-f]{2}$/) });
    const cert = new X509Certificate(r.json.keypair.public_key);
    expect(cert.subject).toBe('CN=admin');
    expect(cert.fingerprint.toLowerCase()).toBe(r.json.keypair.fingerprint);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(r.json.keypair.private_key))).toBe(true);
    expect(new Date(cert.validTo).getTime() - Date.now()).toBeGreaterThan(9 * 365 * 86400_000);
    const imported = await cli('keypair', 'create', 'win2', '--type', 'x509', '--public-key', write('win.pem', r.json.keypair.public_key));
    expect(imported.code).toBe(0);
    expect(imported.json.keypair).toMatchObject({ type: 'x509', fingerprint: r.json.keypair.fingerprint });
    expect(imported.json.keypair).not.toHaveProperty('private_key');
    const bad = await cli('keypair', 'create', 'win3', '--type', 'x509', '--public-key', write('bad.pem', ed25519Line()));
    expect(bad.code).toBe(2);
    expect(cert.publicKey.asymmetricKeyType).toBe('rsa');
  });

  it('keypair list wraps each item in {keypair}, as Nova does; other users see none of them', async () => {
    const r = await cli('keypair', 'list');
    expect(r.code).toBe(0);
    expect(Object.keys(r.json)).toEqual(['keypairs']);
    expect(r.json.keypairs.every((k: object) => Object.keys(k).join() === 'keypair')).toBe(true);
    expect(r.json.keypairs.find((k: { keypair: { name: string } }) => k.keypair.name === 'k1')).toEqual({ keypair: (await cli('keypair', 'show', 'k1')).json.keypair });
    expect(await names()).toEqual(expect.arrayContaining(['k1', 'k2', 'laptop', 'rsa', 'win', 'win2', 'human']));
    expect((await cli('keypair', 'list', '--user', 'alice')).json).toEqual({ keypairs: [] });
    expect((await cli('keypair', 'show', 'k1', '--user', 'alice')).code).toBe(3);
  });

  it('human output: list table, show, show --public-key prints only the key', async () => {
    const l = await runCli(['keypair', 'list'], env);
    expect(l.stdout.split('\n')[0]).toMatch(/^Name\s+Fingerprint\s+Type$/);
    expect(l.stdout).toMatch(/^laptop\s+([0-9a-f]{2}:){15}[0-9a-f]{2}\s+ssh$/m);
    const pk = await runCli(['keypair', 'show', 'laptop', '--public-key'], env);
    expect(pk.stdout).toBe(`${(await cli('keypair', 'show', 'laptop')).json.keypair.public_key}\n`);
    expect((await runCli(['keypair', 'show', 'laptop'], env)).stdout).toMatch(/^fingerprint\s+[0-9a-f:]+$/m);
  });

  it('keypair delete returns {deleted}; afterwards and for unknown names exit 3', async () => {
    const r = await cli('keypair', 'delete', 'laptop');
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ deleted: expect.objectContaining({ name: 'laptop', type: 'ssh' }) });
    const nf = await cli('keypair', 'show', 'laptop');
    expect(nf.code).toBe(3);
    expect(nf.json.error.code).toBe('KEY_PAIR_NOT_FOUND');
    expect((await cli('keypair', 'delete', 'laptop')).code).toBe(3);
  });
});
