/**
 * Key pairs (Nova's os-keypairs): SSH public keys, imported or generated here as ed25519, and
 * x509 certificates (Nova's WinRM certificates), unique by name per user. A generated private
 * key is handed back once and never stored. Fingerprints are computed as Nova does: MD5 of the
 * decoded SSH key blob, SHA-1 of the certificate's DER, as colon-separated lowercase hex.
 */
import { createHash, createPublicKey, generateKeyPairSync, KeyObject, randomBytes, sign, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import { Clock, isoTime } from '../clock';
import { Stores } from '../db/stores';
import { ConflictError, InvalidInputError, NotFoundError, QuotaExceededError } from '../errors';
import { KeyPair } from '../model/images';

export const KEYPAIR_TYPES = ['ssh', 'x509'] as const;
export type KeypairType = (typeof KEYPAIR_TYPES)[number];

export interface KeypairCreate {
  name: string;
  userId: string;
  projectId: string | null;
  type?: KeypairType;
  /** Import this public key (OpenSSH one-line format, or a PEM certificate for x509) … */
  publicKey?: string;
  /** … or the one in this file. Without either, a key pair is generated. */
  publicKeyFile?: string;
  /** Write a generated private key to this new file (mode 0600) instead of returning it. */
  privateKeyFile?: string;
}

export interface KeypairCreated {
  keypair: KeyPair;
  /** The generated private key when it was not written to a file; null for an import. */
  privateKey: string | null;
  privateKeyFile: string | null;
}

/** Nova's allowed characters (microversion 2.92 adds '.' and '@'). */
const NAME_RE = /^[A-Za-z0-9 _.@-]{1,255}$/;
const MAX_KEY_FILE = 64 * 1024;

export class KeypairsService {
  constructor(private readonly stores: Stores, private readonly clock: Clock,
    private readonly limits?: (projectId: string, userId: string) => Promise<Record<string, number>>) {}

  private async repo() { return (await this.stores.api()).keypairs; }

  /** The key pairs of a user (every user's when `userId` is undefined). */
  async list(userId?: string): Promise<KeyPair[]> {
    return (await this.repo()).list(userId);
  }

  async get(name: string, userId: string): Promise<KeyPair> {
    const kp = await (await this.repo()).find(name, userId);
    if (!kp) throw new NotFoundError('Key pair', name, { hint: `Run \`novalite keypair list\` (user ${userId}).` });
    return kp;
  }

  async create(c: KeypairCreate): Promise<KeypairCreated> {
    const name = checkKeypairName(c.name);
    const type = c.type ?? 'ssh';
    if (!KEYPAIR_TYPES.includes(type)) throw new InvalidInputError(`Unknown key pair type ${JSON.stringify(type)}: use ssh or x509.`);
    const importing = c.publicKey !== undefined || c.publicKeyFile !== undefined;
    if (importing && c.privateKeyFile) throw new InvalidInputError('--private-key goes with a generated key pair, not with --public-key.');
    const repo = await this.repo();
    if (await repo.find(name, c.userId)) throw duplicate(name, c.userId);
    const max = this.limits && c.projectId ? (await this.limits(c.projectId, c.userId)).key_pairs : -1;
    if (max !== undefined && max >= 0 && (await repo.list(c.userId)).length >= max) {
      throw new QuotaExceededError(`Quota exceeded for key_pairs: user ${c.userId} already has ${max} of ${max}.`, { hint: 'Delete a key pair, or raise the quota with `novalite quota set --key-pairs N`.' });
    }
    if (c.privateKeyFile && fs.existsSync(c.privateKeyFile)) throw fileExists(c.privateKeyFile);

    let publicKey: string;
    let fingerprint: string;
    let privateKey: string | null = null;
    if (importing) {
      const text = c.publicKey ?? readKeyFile(c.publicKeyFile!);
      ({ publicKey, fingerprint } = type === 'x509' ? parseCertificate(text) : parseSshPublicKey(text));
    } else {
      ({ publicKey, fingerprint, privateKey } = type === 'x509' ? generateX509(c.userId, this.clock.now()) : generateSsh(name));
    }
    if (c.privateKeyFile) writePrivateKey(c.privateKeyFile, privateKey!);
    try {
      const keypair = await repo.create({ name, userId: c.userId, projectId: c.projectId, fingerprint, publicKey, type }, isoTime(this.clock.now()));
      return { keypair, privateKey: c.privateKeyFile ? null : privateKey, privateKeyFile: c.privateKeyFile ?? null };
    } catch (e) {
      if (c.privateKeyFile) fs.rmSync(c.privateKeyFile, { force: true });
      if (await repo.find(name, c.userId)) throw duplicate(name, c.userId);
      throw e;
    }
  }

  async delete(name: string, userId: string): Promise<KeyPair> {
    const kp = await this.get(name, userId);
    await (await this.repo()).delete(name, userId);
    return kp;
  }
}

export function checkKeypairName(name: unknown): string {
  if (typeof name !== 'string' || !NAME_RE.test(name) || name.trim() === '') {
    throw new InvalidInputError(`Invalid key pair name ${JSON.stringify(name)}.`, {
      hint: "Use 1 to 255 letters, digits, spaces and '_', '-', '.', '@'.",
    });
  }
  return name;
}

const duplicate = (name: string, userId: string) =>
  new ConflictError(`Key pair ${JSON.stringify(name)} already exists for user ${userId}.`, { code: 'KEYPAIR_EXISTS', hint: 'Pick another name, or delete the old one.' });
const fileExists = (file: string) =>
  new ConflictError(`${file} already exists; a private key is never written over a file.`, { code: 'FILE_EXISTS', hint: 'Give a path that does not exist yet.' });
const badKey = (why: string) => new InvalidInputError(`Invalid public key: ${why}.`, {
  code: 'INVALID_KEYPAIR', hint: 'Give one line in OpenSSH format: ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256 AAAA… [comment].',
});

function readKeyFile(file: string): string {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) throw new InvalidInputError(`${file} is not a regular file.`);
    if (st.size > MAX_KEY_FILE) throw new InvalidInputError(`${file} is too large for a public key (${st.size} bytes).`);
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof InvalidInputError) throw e;
    throw new InvalidInputError(`Cannot read public key file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
}

/** Creates the file exclusively (O_EXCL: never over an existing one) with mode 0600. */
function writePrivateKey(file: string, pem: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw fileExists(file);
    throw new InvalidInputError(`Cannot create ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
  try {
    fs.fchmodSync(fd, 0o600);
    fs.writeSync(fd, pem);
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
    throw e;
  }
  fs.closeSync(fd);
}

// --- SSH wire format (RFC 4251 §5) ---------------------------------------------------------

const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n >>> 0); return b; };
const sshString = (v: Buffer | string) => { const b = Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8'); return Buffer.concat([u32(b.length), b]); };

class WireReader {
  private off = 0;
  constructor(private readonly buf: Buffer) {}
  string(): Buffer {
    if (this.off + 4 > this.buf.length) throw badKey('truncated key data');
    const n = this.buf.readUInt32BE(this.off);
    if (this.off + 4 + n > this.buf.length) throw badKey('truncated key data');
    const s = this.buf.subarray(this.off + 4, this.off + 4 + n);
    this.off += 4 + n;
    return s;
  }
  end(): void { if (this.off !== this.buf.length) throw badKey('trailing bytes after the key data'); }
}

const md5Colons = (b: Buffer) => createHash('md5').update(b).digest('hex').replace(/(..)(?!$)/g, '$1:');
const b64url = (b: Buffer) => b.toString('base64url');
/** An mpint without its sign byte, for JWK. */
const unsigned = (b: Buffer) => { let i = 0; while (i < b.length - 1 && b[i] === 0) i++; return b.subarray(i); };

const EC_CURVES: Record<string, { crv: string; len: number }> = {
  nistp256: { crv: 'P-256', len: 32 }, nistp384: { crv: 'P-384', len: 48 }, nistp521: { crv: 'P-521', len: 66 },
};

/** Checks an OpenSSH public key line down to the key itself (a point on the curve, an RSA modulus). */
export function parseSshPublicKey(text: string): { publicKey: string; fingerprint: string; type: string } {
  const line = text.trim();
  if (line === '') throw badKey('it is empty');
  if (/[\r\n]/.test(line)) throw badKey('give exactly one key, on one line');
  const [type, data] = line.split(/\s+/);
  if (!/^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp(256|384|521))$/.test(type)) {
    throw badKey(`unsupported key type ${JSON.stringify(type.slice(0, 40))} (ssh-rsa, ssh-ed25519 and ecdsa-sha2-* are)`);
  }
  if (!data || !/^[A-Za-z0-9+/]+={0,2}$/.test(data) || data.length % 4 !== 0) throw badKey('the key data is not base64');
  const blob = Buffer.from(data, 'base64');
  const r = new WireReader(blob);
  if (r.string().toString('latin1') !== type) throw badKey(`the key data is not a ${type} key`);
  let jwk: Record<string, string>;
  if (type === 'ssh-ed25519') {
    const pk = r.string();
    if (pk.length !== 32) throw badKey('an ed25519 key is 32 bytes');
    jwk = { kty: 'OKP', crv: 'Ed25519', x: b64url(pk) };
  } else if (type === 'ssh-rsa') {
    const e = unsigned(r.string());
    const n = unsigned(r.string());
    if (n.length * 8 < 1024) throw badKey('RSA keys shorter than 1024 bits are refused');
    jwk = { kty: 'RSA', n: b64url(n), e: b64url(e) };
  } else {
    const curve = r.string().toString('latin1');
    const spec = EC_CURVES[curve];
    if (!spec || type !== `ecdsa-sha2-${curve}`) throw badKey(`the curve ${JSON.stringify(curve)} does not match ${type}`);
    const q = r.string();
    if (q.length !== 1 + 2 * spec.len || q[0] !== 4) throw badKey('the EC point is not an uncompressed point of the curve');
    jwk = { kty: 'EC', crv: spec.crv, x: b64url(q.subarray(1, 1 + spec.len)), y: b64url(q.subarray(1 + spec.len)) };
  }
  r.end();
  try {
    createPublicKey({ key: jwk, format: 'jwk' });
  } catch (e) {
    throw badKey(`the key is not valid (${(e as Error).message})`);
  }
  return { publicKey: line, fingerprint: md5Colons(blob), type };
}

function parseCertificate(text: string): { publicKey: string; fingerprint: string } {
  try {
    const cert = new X509Certificate(text.trim());
    return { publicKey: cert.toString(), fingerprint: cert.fingerprint.toLowerCase() };
  } catch (e) {
    throw new InvalidInputError(`Invalid x509 certificate: ${(e as Error).message}.`, { code: 'INVALID_KEYPAIR', hint: 'Give a PEM certificate (-----BEGIN CERTIFICATE-----).' });
  }
}

const pemWrap = (label: string, der: Buffer, width: number) =>
  `-----BEGIN ${label}-----\n${der.toString('base64').replace(new RegExp(`(.{${width}})`, 'g'), '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;

/** An ed25519 key pair: the public key as an OpenSSH line, the private key in OpenSSH's own format. */
function generateSsh(comment: string): { publicKey: string; fingerprint: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pk = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  const pubBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(pk)]);
  const check = randomBytes(4);
  const parts = [check, check, sshString('ssh-ed25519'), sshString(pk), sshString(Buffer.concat([seed, pk])), sshString(comment)];
  let priv = Buffer.concat(parts);
  const pad: number[] = [];
  for (let i = 1; (priv.length + pad.length) % 8 !== 0; i++) pad.push(i);
  priv = Buffer.concat([priv, Buffer.from(pad)]);
  const body = Buffer.concat([Buffer.from('openssh-key-v1\0', 'latin1'), sshString('none'), sshString('none'), sshString(''), u32(1), sshString(pubBlob), sshString(priv)]);
  return {
    publicKey: `ssh-ed25519 ${pubBlob.toString('base64')} ${comment}`,
    fingerprint: md5Colons(pubBlob),
    privateKey: pemWrap('OPENSSH PRIVATE KEY', body, 70),
  };
}

// --- A minimal DER writer, enough for one self-signed certificate ----------------------------

const derLen = (n: number): Buffer => {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let x = n; x > 0; x = Math.floor(x / 256)) bytes.unshift(x & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
};
const tlv = (tag: number, ...parts: Buffer[]) => { const body = Buffer.concat(parts); return Buffer.concat([Buffer.from([tag]), derLen(body.length), body]); };
const seq = (...p: Buffer[]) => tlv(0x30, ...p);
const oid = (s: string): Buffer => {
  const a = s.split('.').map(Number);
  const out = [40 * a[0] + a[1]];
  for (const v of a.slice(2)) {
    const b = [v & 0x7f];
    for (let x = v >>> 7; x > 0; x >>>= 7) b.unshift(0x80 | (x & 0x7f));
    out.push(...b);
  }
  return tlv(0x06, Buffer.from(out));
};
const derTime = (d: Date): Buffer => {
  const s = d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(s.slice(2))) : tlv(0x18, Buffer.from(s));
};
const SHA256_RSA = seq(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));

/**
 * Nova's WinRM certificate: an RSA 2048 key and a self-signed certificate for CN=<user>, valid
 * ten years, for client authentication, with the user's UPN as subject alternative name.
 */
function generateX509(userId: string, now: Date): { publicKey: string; fingerprint: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const name = seq(tlv(0x31, seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(userId, 'utf8')))));
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x40; // positive, and minimally encoded
  const notAfter = new Date(now.getTime() + 3650 * 86400_000);
  const extensions = tlv(0xa3, seq(
    seq(oid('2.5.29.37'), tlv(0x04, seq(oid('1.3.6.1.5.5.7.3.2')))),
    seq(oid('2.5.29.17'), tlv(0x04, seq(tlv(0xa0, oid('1.3.6.1.4.1.311.20.2.3'), tlv(0xa0, tlv(0x0c, Buffer.from(`${userId}@localhost`, 'utf8'))))))),
  ));
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))), tlv(0x02, serial), SHA256_RSA, name, seq(derTime(now), derTime(notAfter)), name,
    (publicKey as KeyObject).export({ type: 'spki', format: 'der' }), extensions,
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, SHA256_RSA, tlv(0x03, Buffer.from([0]), signature));
  const cert = new X509Certificate(der);
  return {
    publicKey: cert.toString(),
    fingerprint: cert.fingerprint.toLowerCase(),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
