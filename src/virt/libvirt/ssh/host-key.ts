/**
 * SSH host keys as novalite pins them: the raw public key blob (RFC 4253 §6.6), its type, and
 * its fingerprint exactly as OpenSSH prints it (`ssh-keygen -lf`), so an admin can compare the
 * two by eye. Only SHA256 fingerprints are accepted: MD5 ones are too weak to pin against.
 */
import { createHash } from 'crypto';
import { InvalidInputError } from '../../../lib/errors';
import type { PinnedHostKey } from './transport';

/** `SHA256:` + unpadded base64 of sha256(blob), as ssh-keygen -l prints it. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type, the blob's first SSH string (`ssh-ed25519`, `ecdsa-sha2-nistp256` …). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) throw new TypeError('SSH public key blob is too short.');
  const len = blob.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > blob.length) throw new TypeError('SSH public key blob is malformed.');
  const type = blob.subarray(4, 4 + len).toString('latin1');
  if (!/^[\x21-\x7e]+$/.test(type)) throw new TypeError('SSH public key blob has an unprintable type.');
  return type;
}

export function pinnedHostKeyFromBlob(blob: Buffer): PinnedHostKey {
  return { type: keyTypeOf(blob), base64: blob.toString('base64'), fingerprint: fingerprintOf(blob) };
}

/**
 * A PinnedHostKey from an OpenSSH public key line (`ssh-ed25519 AAAA… comment`, as in a
 * host's /etc/ssh/ssh_host_*_key.pub or a known_hosts entry without the host field).
 */
export function pinnedHostKeyFromPublicKeyLine(line: string): PinnedHostKey {
  const [type, b64] = line.trim().split(/\s+/);
  const blob = Buffer.from(b64 ?? '', 'base64');
  if (!type || !b64 || blob.length === 0 || keyTypeOf(blob) !== type) {
    throw new InvalidInputError('Not an OpenSSH public key line (expected `TYPE BASE64 [comment]`).');
  }
  return pinnedHostKeyFromBlob(blob);
}

/**
 * Normalises a user-supplied fingerprint to `SHA256:<43 base64 chars>`. Accepts a lowercase
 * prefix and trailing `=` padding (some tools print it); refuses MD5 and anything else.
 */
export function parseFingerprint(input: string, flag = '--host-key-fingerprint'): string {
  const s = String(input ?? '').trim();
  const m = /^sha256:([A-Za-z0-9+/]{43})=?$/i.exec(s);
  const hint = 'Copy it from `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` run on the host, e.g. SHA256:AbC…';
  if (!m) {
    const what = /^md5:|^([0-9a-f]{2}:){15}[0-9a-f]{2}$/i.test(s) ? 'an MD5 fingerprint' : 'not a SHA256 fingerprint';
    throw new InvalidInputError(`${flag} must be a SHA256 fingerprint (SHA256: followed by 43 base64 characters); got ${what}.`, {
      code: 'INVALID_HOST_KEY_FINGERPRINT',
      hint,
    });
  }
  // 43 base64 characters carry 258 bits; the last char must leave the 2 spare bits zero.
  if (Buffer.from(m[1], 'base64').length !== 32 || !/[AEIMQUYcgkosw048]$/.test(m[1])) {
    throw new InvalidInputError(`${flag} is not a valid SHA256 fingerprint (it does not decode to 32 bytes).`, {
      code: 'INVALID_HOST_KEY_FINGERPRINT',
      hint,
    });
  }
  return `SHA256:${m[1]}`;
}

/** The name the driver uses for parseFingerprint. */
export const normalizeFingerprint = parseFingerprint;

/** True when the offered key blob is the pinned one (by fingerprint; base64 when no fingerprint). */
export function matchesPinned(pinned: PinnedHostKey, blob: Buffer): boolean {
  if (pinned.fingerprint) return normalise(pinned.fingerprint) === fingerprintOf(blob);
  return pinned.base64 === blob.toString('base64');
}

function normalise(fp: string): string {
  try {
    return parseFingerprint(fp);
  } catch {
    return fp;
  }
}
