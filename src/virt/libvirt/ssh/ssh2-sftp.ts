/**
 * File transfers over one SFTP session. Writes go to a temporary name in the same directory,
 * then are renamed over the target, so a reader (libvirt, qemu) never sees half a file and an
 * interrupted transfer leaves only a dot-file behind — which also makes a retry safe.
 */
import { randomBytes } from 'crypto';
import * as path from 'path';
import type { Client, SFTPWrapper } from 'ssh2';

/** SFTP status NO_SUCH_FILE (draft-ietf-secsh-filexfer-02 §7). */
const NO_SUCH_FILE = 2;

export function openSftp(client: Client): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => {
    try {
      client.sftp((err, sftp) => (err ? reject(err) : resolve(sftp)));
    } catch (e) {
      reject(e); // 'Not connected'
    }
  });
}

function call(fn: (cb: (err?: Error | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));
}

export function tempNameFor(remotePath: string): string {
  const dir = path.posix.dirname(remotePath);
  const base = path.posix.basename(remotePath);
  return path.posix.join(dir, `.${base}.novalite-${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Runs `write(tmp)`, sets the mode, and renames tmp over `remotePath`. The rename uses
 * OpenSSH's posix-rename extension: plain SFTP rename refuses to replace an existing file.
 */
export async function atomicWrite(
  sftp: SFTPWrapper,
  remotePath: string,
  write: (tmp: string) => Promise<void>,
  mode?: number,
): Promise<void> {
  const tmp = tempNameFor(remotePath);
  try {
    await write(tmp);
    // Set explicitly: the mode given at open is filtered by the server's umask.
    if (mode !== undefined) await call((cb) => sftp.chmod(tmp, mode, cb));
    await rename(sftp, tmp, remotePath);
  } catch (e) {
    await call((cb) => sftp.unlink(tmp, cb)).catch(() => undefined);
    throw e;
  }
}

async function rename(sftp: SFTPWrapper, from: string, to: string): Promise<void> {
  try {
    await call((cb) => sftp.ext_openssh_rename(from, to, cb));
  } catch (e) {
    // A server without the extension: not atomic, but still never a half-written target.
    if (!/not support/i.test((e as Error).message)) throw e;
    await call((cb) => sftp.unlink(to, cb)).catch(() => undefined);
    await call((cb) => sftp.rename(from, to, cb));
  }
}

export function writeData(sftp: SFTPWrapper, remotePath: string, data: Buffer): Promise<void> {
  return call((cb) => sftp.writeFile(remotePath, data, { mode: 0o600 }, cb));
}

export function putFile(sftp: SFTPWrapper, localPath: string, remotePath: string): Promise<void> {
  return call((cb) => sftp.fastPut(localPath, remotePath, { mode: 0o600 }, cb));
}

export function readData(sftp: SFTPWrapper, remotePath: string): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    sftp.readFile(remotePath, (err: (Error & { code?: unknown }) | undefined, data: Buffer) => {
      if (!err) return resolve(data);
      if (err.code === NO_SUCH_FILE || err.code === 'ENOENT') return resolve(null);
      reject(err);
    });
  });
}
