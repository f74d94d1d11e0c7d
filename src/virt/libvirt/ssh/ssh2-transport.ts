/**
 * HostTransport over one ssh2 connection per host, multiplexing session channels (commands)
 * and one SFTP session (files) over it, as DESIGN.md §2 asks: an SSH handshake costs ~0.1–0.4 s,
 * a channel almost nothing. Connects lazily, reconnects on the next call after a drop, and
 * retries a call once only when it cannot have had an effect yet (see withConnection).
 */
import type * as net from 'net';
import type { Client, SFTPWrapper } from 'ssh2';
import { HostError } from '../../../lib/errors';
import { HostKeyChangedError, HostKeyUnknownError, SshConnectError, SshTransferError, commandName } from './errors';
import { matchesPinned, pinnedHostKeyFromBlob } from './host-key';
import { connectClient, startKeepalive, targetOf } from './ssh2-connect';
import { ChannelNotOpened, runExec, withRemoteDeadline, type RunExecOptions } from './ssh2-exec';
import { atomicWrite, openSftp, putFile, readData, writeData } from './ssh2-sftp';
import type { ExecOptions, ExecResult, HostTransport, PinnedHostKey, SshEndpoint } from './transport';

export interface Ssh2TransportOptions {
  /** Trust and record the offered host key when none is pinned (`--accept-new-host-key`). */
  acceptNewHostKey?: boolean;
  /** The host's novalite name, for messages and the re-pin hint (default: its address). */
  hostName?: string;
  readyTimeoutMs?: number;
  /** Default for ExecOptions.timeoutMs. */
  commandTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** Concurrent channels; sshd's MaxSessions defaults to 10 and SFTP holds one of them. */
  maxChannels?: number;
  maxOutputBytes?: number;
  /**
   * Run commands under `timeout -s KILL` on the host (default true), so a timed-out command
   * dies there too; turn off for hosts without coreutils `timeout` (signals are still sent).
   */
  remoteDeadline?: boolean;
  /** Debug hook: gets the command's first word and timings, never arguments or data. */
  log?: (line: string) => void;
}

interface Conn {
  client: Client;
  sock: net.Socket;
  closed: boolean;
  sftp: Promise<SFTPWrapper> | null;
  stopKeepalive: () => void;
}

export class Ssh2Transport implements HostTransport {
  /** The host key seen on the last connection when it was accepted as new (acceptNewHostKey). */
  offeredHostKey: PinnedHostKey | null = null;
  /** How many SSH connections this transport has opened (diagnostics and tests). */
  connectCount = 0;
  readonly target: string;
  private conn: Conn | null = null;
  private connecting: Promise<Conn> | null = null;
  private busy = 0;
  private closeOnIdle = false;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly o: Required<Omit<Ssh2TransportOptions, 'log' | 'hostName'>>;

  constructor(readonly endpoint: SshEndpoint, private readonly opts: Ssh2TransportOptions = {}) {
    this.target = targetOf(endpoint);
    this.o = {
      acceptNewHostKey: opts.acceptNewHostKey ?? false,
      readyTimeoutMs: opts.readyTimeoutMs ?? 10_000,
      commandTimeoutMs: opts.commandTimeoutMs ?? 600_000,
      keepaliveIntervalMs: opts.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: opts.keepaliveCountMax ?? 3,
      maxChannels: opts.maxChannels ?? 8,
      maxOutputBytes: opts.maxOutputBytes ?? 16 * 1024 * 1024,
      remoteDeadline: opts.remoteDeadline ?? true,
    };
  }

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.run(command, { stdin: opts.stdin, timeoutMs: opts.timeoutMs });
  }

  pipe(command: string, io: { input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream; timeoutMs?: number }): Promise<ExecResult> {
    return this.run(command, io);
  }

  private run(command: string, opts: Pick<RunExecOptions, 'stdin' | 'input' | 'output'> & { timeoutMs?: number }): Promise<ExecResult> {
    const t0 = Date.now();
    return this.track(async () => {
      const release = await this.channelSlot();
      const t1 = Date.now();
      const timeoutMs = opts.timeoutMs ?? this.o.commandTimeoutMs;
      const sent = this.o.remoteDeadline ? withRemoteDeadline(command, timeoutMs) : command;
      try {
        const r = await this.withConnection(
          (c) => runExec(c.client, sent, {
            ...opts, timeoutMs, name: command,
            maxOutputBytes: this.o.maxOutputBytes, target: this.target, connectionDead: () => isDead(c),
          }),
          (e) => e instanceof ChannelNotOpened,
        );
        this.log(`${commandName(command)}: exit ${r.code} in ${Date.now() - t1} ms (queued ${t1 - t0} ms)`);
        return r;
      } catch (e) {
        this.log(`${commandName(command)}: failed after ${Date.now() - t1} ms (${(e as Error).name})`);
        if (e instanceof ChannelNotOpened) throw new HostError(`Cannot open an SSH channel to ${this.target}: ${e.reason}.`, { code: 'SSH_CHANNEL_FAILED' });
        throw e;
      } finally {
        release();
      }
    });
  }

  upload(localPath: string, remotePath: string, opts: { mode?: number } = {}): Promise<void> {
    return this.fileOp('upload', remotePath, (s) => atomicWrite(s, remotePath, (tmp) => putFile(s, localPath, tmp), opts.mode));
  }

  writeFile(remotePath: string, data: string | Buffer, opts: { mode?: number } = {}): Promise<void> {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    return this.fileOp('write', remotePath, (s) => atomicWrite(s, remotePath, (tmp) => writeData(s, tmp, buf), opts.mode));
  }

  readFile(remotePath: string): Promise<Buffer | null> {
    return this.fileOp('read', remotePath, (s) => readData(s, remotePath));
  }

  close(): void {
    const pending = this.connecting;
    if (pending) pending.then((c) => this.drop(c, true), () => undefined);
    if (this.conn) this.drop(this.conn, true);
  }

  /** Closes now when no call is running, else after the last one finishes. */
  closeWhenIdle(): void {
    if (this.busy === 0) this.close();
    else this.closeOnIdle = true;
  }

  /** close(), then wait until the socket is gone (tests, process exit). */
  async shutdown(): Promise<void> {
    const socks = [this.conn?.sock].filter((s): s is net.Socket => !!s && !s.destroyed);
    this.close();
    await Promise.all(socks.map((s) => new Promise<void>((r) => {
      s.once('close', () => r());
      setTimeout(() => { s.destroy(); r(); }, 1000).unref();
    })));
  }

  /** Every file op is idempotent (temp name + rename), so a drop mid-way may be retried. */
  private fileOp<T>(op: string, remotePath: string, fn: (s: SFTPWrapper) => Promise<T>): Promise<T> {
    const t0 = Date.now();
    return this.track(async () => {
      try {
        const r = await this.withConnection(async (c) => fn(await this.sftp(c)), (_e, c) => isDead(c));
        this.log(`sftp ${op}: done in ${Date.now() - t0} ms`);
        return r;
      } catch (e) {
        if (e instanceof HostError) throw e;
        const msg = (e as Error).message.replace(/\.$/, '');
        throw new SshTransferError(this.target, op, remotePath, msg);
      }
    });
  }

  /** Runs fn on a live connection; once more on a fresh one when `retryable` says it is safe. */
  private async withConnection<T>(fn: (c: Conn) => Promise<T>, retryable: (e: unknown, c: Conn) => boolean): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const c = await this.connection();
      try {
        return await fn(c);
      } catch (e) {
        const dead = isDead(c);
        if (dead) this.drop(c, false);
        if (attempt === 0 && dead && retryable(e, c)) continue;
        if (dead && !(e instanceof HostError)) throw new SshConnectError(this.target, 'the connection dropped and could not be re-established for this call');
        throw e;
      }
    }
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
      endpoint: this.endpoint,
      readyTimeoutMs: this.o.readyTimeoutMs,
      verifyHostKey: (blob) => this.verifyHostKey(blob),
    });
    this.connectCount++;
    const conn: Conn = { client, sock, closed: false, sftp: null, stopKeepalive: () => undefined };
    conn.stopKeepalive = startKeepalive(client, this.o.keepaliveIntervalMs, this.o.keepaliveCountMax);
    client.on('close', () => {
      conn.closed = true;
      conn.stopKeepalive();
      if (this.conn === conn) this.conn = null;
      this.log('connection closed');
    });
    this.conn = conn;
    this.refSocket();
    this.log(`connected in ${Date.now() - t0} ms`);
    return conn;
  }

  private verifyHostKey(blob: Buffer): Error | null {
    const name = this.opts.hostName ?? this.endpoint.host;
    const offered = pinnedHostKeyFromBlob(blob);
    const pinned = this.endpoint.hostKey;
    if (pinned) return matchesPinned(pinned, blob) ? null : new HostKeyChangedError(name, pinned.fingerprint, offered.fingerprint);
    if (!this.o.acceptNewHostKey) return new HostKeyUnknownError(name, offered.fingerprint);
    this.offeredHostKey = offered;
    return null;
  }

  private sftp(c: Conn): Promise<SFTPWrapper> {
    if (!c.sftp) {
      const p = openSftp(c.client);
      c.sftp = p;
      const forget = (): void => { if (c.sftp === p) c.sftp = null; };
      p.then((s) => s.on('close', forget), forget);
    }
    return c.sftp;
  }

  private drop(c: Conn, graceful: boolean): void {
    c.closed = true;
    c.stopKeepalive();
    if (this.conn === c) this.conn = null;
    if (graceful) c.client.end();
    else c.client.destroy();
  }

  /** FIFO slots for channels: beyond sshd's MaxSessions the server would refuse to open more. */
  private channelSlot(): Promise<() => void> {
    const release = (): void => {
      this.running--;
      this.waiting.shift()?.();
    };
    if (this.running < this.o.maxChannels) {
      this.running++;
      return Promise.resolve(release);
    }
    return new Promise((resolve) => this.waiting.push(() => { this.running++; resolve(release); }));
  }

  /** Keeps the socket ref'd while a call is in flight, unref'd while idle (CLI exits promptly). */
  private async track<T>(fn: () => Promise<T>): Promise<T> {
    this.busy++;
    this.refSocket();
    try {
      return await fn();
    } finally {
      this.busy--;
      this.refSocket();
      if (this.busy === 0 && this.closeOnIdle) {
        this.closeOnIdle = false;
        this.close();
      }
    }
  }

  private refSocket(): void {
    const s = this.conn?.sock;
    if (!s) return;
    if (this.busy > 0) s.ref();
    else s.unref();
  }

  private log(line: string): void {
    this.opts.log?.(`ssh ${this.target}: ${line}`);
  }
}

function isDead(c: Conn): boolean {
  return c.closed || c.sock.destroyed || !c.sock.writable;
}
