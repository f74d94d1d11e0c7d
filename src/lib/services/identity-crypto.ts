/**
 * The embedded Keystone's cryptography, all from node:crypto: scrypt password hashes with a
 * per-user salt (`scrypt$N$r$p$salt$hash`), and tokens signed with HMAC-SHA256
 * (`nl1.<payload>.<signature>`, base64url) that any process holding the shared key can verify.
 */
import { createHmac, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { isRole, TokenPayload } from '../model/identity';

const PARAMS = { N: 16384, r: 8, p: 1 };
const KEYLEN = 32;

function scrypt(password: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize('NFC'), salt, KEYLEN, { ...o, maxmem: 64 * 1024 * 1024 }, (e, key) => (e ? reject(e) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Constant-time check; a null or malformed hash still costs one scrypt (no user-enumeration by timing). */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = (stored ?? '').split('$');
  const ok = parts.length === 6 && parts[0] === 'scrypt';
  const o = ok ? { N: Number(parts[1]), r: Number(parts[2]), p: Number(parts[3]) } : PARAMS;
  if (!Number.isInteger(o.N) || !Number.isInteger(o.r) || !Number.isInteger(o.p)) return false;
  const salt = ok ? Buffer.from(parts[4], 'base64') : randomBytes(16);
  const key = await scrypt(password, salt, o);
  const want = ok ? Buffer.from(parts[5], 'base64') : randomBytes(KEYLEN);
  return ok && want.length === key.length && timingSafeEqual(want, key);
}

export function newSigningKey(): string {
  return randomBytes(32).toString('base64');
}

const PREFIX = 'nl1';

function mac(key: string, data: string): Buffer {
  return createHmac('sha256', Buffer.from(key, 'base64')).update(data).digest();
}

export function signToken(p: TokenPayload, key: string): string {
  const body = Buffer.from(JSON.stringify({ u: p.userId, p: p.projectId, r: p.roles, i: p.issuedAt, e: p.expiresAt, a: p.auditId, m: p.methods })).toString('base64url');
  return `${PREFIX}.${body}.${mac(key, `${PREFIX}.${body}`).toString('base64url')}`;
}

/** The payload of a token signed with `key`, or null when it is malformed or its signature is wrong. */
export function readToken(token: string, key: string): TokenPayload | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX || token.length > 4096) return null;
  const sig = Buffer.from(parts[2], 'base64url');
  const want = mac(key, `${parts[0]}.${parts[1]}`);
  if (sig.length !== want.length || !timingSafeEqual(sig, want)) return null;
  try {
    const o = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (typeof o.u !== 'string' || typeof o.p !== 'string' || !Array.isArray(o.r) || typeof o.i !== 'number' || typeof o.e !== 'number' || typeof o.a !== 'string') return null;
    return { userId: o.u, projectId: o.p, roles: o.r.filter(isRole), issuedAt: o.i, expiresAt: o.e, auditId: o.a, methods: Array.isArray(o.m) ? o.m.map(String) : ['password'] };
  } catch {
    return null;
  }
}

/** A Keystone-like audit id: 16 random bytes, base64url (22 characters). */
export function newAuditId(): string {
  return randomBytes(16).toString('base64url');
}
