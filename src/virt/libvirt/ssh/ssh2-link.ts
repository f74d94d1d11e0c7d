/**
 * The life of one host's SSH connection: opened lazily, shared by every call, replaced after a
 * drop, with one lazily opened SFTP session. Its socket is ref'd only while a call is running,
 * so an idle pooled connection never keeps a CLI process alive.
 */
import type * as net from 'net';
import type { Client, SFTPWrapper } from 'ssh2';
import { HostError } from '../../../lib/errors';
import { SshConnectError } from './errors';
import { connectClient, startKeepalive } from './ssh2-connect';
import { openSftp } from './ssh2-sftp';
import type { SshEndpoint } from './transport';

export interface Conn {
  client: Client;
  sock: net.Socket;
  closed: boolean;
  sftp: Promise<SFTPWrapper> | null;
  stopKeepalive: () => void;
}

export interface LinkOptions {
  readyTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  verifyHostKey: (blob: Buffer) => Error | null;
  log: (line: string) => void;
}

export function isDead(c: Conn): boolean {
  return c.closed || c.sock.destroyed || !c.sock.writable;
}

export class Ssh2Link {
  connectCount = 0;
  private conn: Conn | null = null;
  private connecting: Promise<Conn> | null = null;
  private busy = 0;

  constructor(private readonly endpoint: SshEndpoint, private readonly target: string, private readonly o: LinkOptions) {}

  get idle(): boolean {
    return this.busy === 0;
  }

  /** Runs fn while holding the socket ref'd (an unref'd socket would let node exit mid-call). */
  async track<T>(fn: () => Promise<T>): Promise<T> {
    this.busy++;
    this.refSocket();
    try {
      return await fn();
    } finally {
      this.busy--;
      this.refSocket();
    }
  }

  /**
   * Runs fn on a live connection. When the connection turns out dead and `retryable` says the
   * failed attempt cannot have had an effect, runs it once more on a fresh connection.
   */
  async withConnection<T>(fn: (c: Conn) => Promise<T>, retryable: (e: unknown) => boolean): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const c = await this.connection();
      try {
        return await fn(c);
      } catch (e) {
        const dead = isDead(c);
        if (dead) this.drop(c, false);
        if (attempt === 0 && dead && retryable(e)) continue;
        if (dead && !(e instanceof HostError)) throw new SshConnectError(this.target, 'the connection dropped and could not be re-established for this call');
        throw e;
      }
    }
  }

  /** The connection's SFTP session, opened on first use and reopened if the server closes it. */
  sftp(c: Conn): Promise<SFTPWrapper> {
    if (!c.sftp) {
      const p = openSftp(c.client);
      c.sftp = p;
      const forget = (): void => { if (c.sftp === p) c.sftp = null; };
      p.then((s) => s.on('close', forget), forget);
    }
    return c.sftp;
  }

  close(): void {
    this.connecting?.then((c) => this.drop(c, true), () => undefined);
    if (this.conn) this.drop(this.conn, true);
  }

  /** close(), then wait (at most 1 s) until the socket is gone. */
  async shutdown(): Promise<void> {
    const s = this.conn?.sock;
    this.close();
    if (!s || s.destroyed) return;
    await new Promise<void>((r) => {
      s.once('close', () => r());
      setTimeout(() => { s.destroy(); r(); }, 1000).unref();
    });
  }

  private connection(): Promise<Conn> {
    if (this.conn && !isDead(this.conn)) return Promise.resolve(this.conn);
    if (this.conn) this.drop(this.conn, false);
    this.connecting ??= this.open().finally(() => { this.connecting = null; });
    return this.connecting;
  }

  private async open(): Promise<Conn> {
    const t0 = Date.now();
    const { client, sock } = await connectClient({
      endpoint: this.endpoint, readyTimeoutMs: this.o.readyTimeoutMs, verifyHostKey: this.o.verifyHostKey,
    });
    this.connectCount++;
    const conn: Conn = { client, sock, closed: false, sftp: null, stopKeepalive: () => undefined };
    conn.stopKeepalive = startKeepalive(client, this.o.keepaliveIntervalMs, this.o.keepaliveCountMax);
    client.on('close', () => {
      conn.closed = true;
      conn.stopKeepalive();
      if (this.conn === conn) this.conn = null;
      this.o.log('connection closed');
    });
    this.conn = conn;
    this.refSocket();
    this.o.log(`connected in ${Date.now() - t0} ms`);
    return conn;
  }

  private drop(c: Conn, graceful: boolean): void {
    c.closed = true;
    c.stopKeepalive();
    if (this.conn === c) this.conn = null;
    if (graceful) c.client.end();
    else c.client.destroy();
  }

  private refSocket(): void {
    const s = this.conn?.sock;
    if (!s) return;
    if (this.busy > 0) s.ref();
    else s.unref();
  }
}
