/**
 * Opening one ssh2 connection: the private key read from its path (never logged), the host key
 * checked during key exchange, and ssh2's error levels turned into SshConnectError reasons a
 * person can act on. Also the keepalive, done here rather than by ssh2 (see startKeepalive).
 */
import { promises as fsp } from 'fs';
import * as net from 'net';
import { Client } from 'ssh2';
import type { SshEndpoint } from './transport';
import { SshConnectError } from './errors';

export function targetOf(ep: Pick<SshEndpoint, 'user' | 'host' | 'port'>): string {
  return `${ep.user}@${ep.host}:${ep.port}`;
}

export interface ConnectParams {
  endpoint: SshEndpoint;
  readyTimeoutMs: number;
  /** Called with the raw host key blob; returns an error to refuse it, null to accept. */
  verifyHostKey: (blob: Buffer) => Error | null;
  /** Skip authentication (probing the host key only): resolve once the handshake is done. */
  handshakeOnly?: boolean;
}

export async function readPrivateKey(ep: SshEndpoint): Promise<Buffer> {
  try {
    return await fsp.readFile(ep.keyPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new SshConnectError(targetOf(ep), `cannot read the private key ${ep.keyPath} (${code})`, {
      hint: 'Check the key path recorded for the host (`--key`) and that this user can read it.',
    });
  }
}

/**
 * Connects and authenticates; resolves with a ready Client and the socket under it (ours, so
 * the pool can unref it while idle). Rejects with the host key error or an SshConnectError.
 */
export async function connectClient(p: ConnectParams): Promise<{ client: Client; sock: net.Socket }> {
  const ep = p.endpoint;
  const target = targetOf(ep);
  const privateKey = p.handshakeOnly ? undefined : await readPrivateKey(ep);
  const client = new Client();
  const sock = new net.Socket();
  let refusal: Error | null = null;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (e: Error): void => {
      if (settled) return;
      settled = true;
      client.destroy();
      sock.destroy();
      reject(e);
    };
    client.on('error', (err: Error & { level?: string; code?: string }) => fail(refusal ?? mapError(p, target, err)));
    client.on('close', () => fail(refusal ?? new SshConnectError(target, 'the server closed the connection during the handshake')));
    const done = (): void => {
      if (settled) return;
      settled = true;
      resolve({ client, sock });
    };
    if (p.handshakeOnly) client.on('handshake', done);
    else client.on('ready', done);
    sock.connect(ep.port, ep.host);
    try {
      client.connect({
        sock,
        host: ep.host,
        port: ep.port,
        username: ep.user,
        privateKey,
        readyTimeout: p.readyTimeoutMs,
        keepaliveInterval: 0,
        hostVerifier: (blob: Buffer): boolean => {
          refusal = p.verifyHostKey(blob);
          return refusal === null;
        },
      });
    } catch {
      // ssh2 throws on a key it cannot parse; its message is not shown, to be safe with key text.
      fail(new SshConnectError(target, `the private key ${ep.keyPath} is not a usable unencrypted OpenSSH or PEM key`, {
        hint: 'Use an unencrypted ed25519, ECDSA or RSA private key (passphrase-protected keys are not supported).',
      }));
    }
  });
}

function mapError(p: ConnectParams, target: string, err: Error & { level?: string; code?: string }): SshConnectError {
  const ep = p.endpoint;
  if (err.level === 'client-authentication') {
    return new SshConnectError(target, `authentication refused for the key ${ep.keyPath}`, {
      hint: `Add the public key of ${ep.keyPath} to ~${ep.user}/.ssh/authorized_keys on the host.`,
    });
  }
  if (err.level === 'client-timeout') {
    return new SshConnectError(target, `timed out after ${p.readyTimeoutMs / 1000} s waiting for the SSH handshake`, {
      hint: 'Check the address and port, and that no firewall drops the connection.',
    });
  }
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset by the server',
    ETIMEDOUT: 'connection timed out',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ENOTFOUND: 'address not found',
    EAI_AGAIN: 'address lookup failed',
  };
  const reason = (err.code && reasons[err.code]) ?? err.message.replace(/\.$/, '');
  return new SshConnectError(target, reason);
}

/**
 * Probes a connection every `intervalMs` and destroys it after `countMax` unanswered probes.
 * ssh2 has a keepalive of its own, but its interval timer is never unref'd, so an idle pooled
 * connection would keep every CLI process alive; this timer is unref'd. The probe is a
 * cancel-tcpip-forward of nothing: a no-op every server answers (with a failure), which is the
 * round trip we want (OpenSSH's own keepalive@openssh.com is not public API in ssh2).
 */
export function startKeepalive(client: Client, intervalMs: number, countMax: number): () => void {
  if (intervalMs <= 0) return () => undefined;
  let unanswered = 0;
  const timer = setInterval(() => {
    if (++unanswered > countMax) {
      clearInterval(timer);
      client.destroy();
      return;
    }
    try {
      client.unforwardIn('127.0.0.1', 0, () => {
        unanswered = 0;
      });
    } catch {
      clearInterval(timer); // not connected any more
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
