/**
 * The process-wide cache of SSH connections: every driver operation and every command in one
 * process (a CLI run, a `serve` worker) that reaches the same host with the same key and the
 * same pinned host key shares one Ssh2Transport, hence one TCP connection. Idle connections do
 * not keep the process alive (their sockets are unref'd), so a CLI need not remember to close.
 */
import { SshConnectError } from './errors';
import { pinnedHostKeyFromBlob } from './host-key';
import { connectClient, targetOf } from './ssh2-connect';
import { Ssh2Transport, type Ssh2TransportOptions } from './ssh2-transport';
import type { PinnedHostKey, SshEndpoint } from './transport';

const pool = new Map<string, Ssh2Transport>();

/** What makes two endpoints the same connection: address, key file, pinned key, trust mode. */
export function poolKey(ep: SshEndpoint, opts: Ssh2TransportOptions = {}): string {
  const pinned = ep.hostKey?.fingerprint ?? (opts.acceptNewHostKey ? 'accept-new' : 'unpinned');
  return `${targetOf(ep)}|${ep.keyPath}|${pinned}`;
}

/**
 * The shared transport for this endpoint. Options only take effect when the transport is
 * created. A pinned endpoint with a new key file or re-pinned host key for the same
 * user@host:port replaces the old transport (closed once idle), so a repin takes effect in a
 * long-running process too.
 */
export function transportFor(endpoint: SshEndpoint, opts: Ssh2TransportOptions = {}): Ssh2Transport {
  const key = poolKey(endpoint, opts);
  const existing = pool.get(key);
  if (existing) return existing;
  if (endpoint.hostKey) {
    const prefix = `${targetOf(endpoint)}|`;
    for (const [k, t] of pool) {
      if (!k.startsWith(prefix)) continue;
      pool.delete(k);
      t.closeWhenIdle(); // calls already running on it finish first
    }
  }
  const t = new Ssh2Transport({ ...endpoint, hostKey: endpoint.hostKey ? { ...endpoint.hostKey } : null }, opts);
  pool.set(key, t);
  return t;
}

/** Closes every pooled connection and empties the pool (process exit, end of a test file). */
export async function closeAllTransports(): Promise<void> {
  const all = [...pool.values()];
  pool.clear();
  await Promise.all(all.map((t) => t.shutdown()));
}

/** How many transports the pool holds (diagnostics and tests). */
export function pooledTransportCount(): number {
  return pool.size;
}

/**
 * Connects only as far as the key exchange to learn the host key the server proves it holds
 * (resolving after the handshake, not in the verifier, so a server that merely replays someone
 * else's public key is not believed). Needs no client key; the caller compares the result with
 * `--host-key-fingerprint` or shows it for `--accept-new-host-key`.
 */
export async function probeHostKey(
  endpoint: Pick<SshEndpoint, 'host' | 'port' | 'user'> & Partial<SshEndpoint>,
  opts: { readyTimeoutMs?: number } = {},
): Promise<PinnedHostKey> {
  let offered: PinnedHostKey | null = null;
  const { client, sock } = await connectClient({
    endpoint: { keyPath: '', hostKey: null, ...endpoint },
    readyTimeoutMs: opts.readyTimeoutMs ?? 10_000,
    handshakeOnly: true,
    verifyHostKey: (blob) => {
      offered = pinnedHostKeyFromBlob(blob);
      return null;
    },
  });
  client.end();
  sock.unref();
  if (!offered) throw new SshConnectError(targetOf(endpoint), 'the server completed the handshake without offering a host key');
  return offered;
}
