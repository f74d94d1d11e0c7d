/**
 * HostTransport over one ssh2 connection per host, multiplexing session channels (commands)
 * and one SFTP session (files) over it, as DESIGN.md §2 asks: an SSH handshake costs ~0.1–0.4 s,
 * a channel almost nothing. Connects lazily, reconnects on the next call after a drop, and
 * retries a call once only when it cannot have had an effect yet: a command whose channel never
 * opened, or a file transfer (temp name + rename makes those idempotent).
 */
import type { SFTPWrapper } from 'ssh2';
import { HostError } from '../../../lib/errors';
import { HostKeyChangedError, HostKeyUnknownError, SshTransferError, commandName } from './errors';
import { matchesPinned, pinnedHostKeyFromBlob } from './host-key';
import { targetOf } from './ssh2-connect';
import { ChannelNotOpened, runExec, withRemoteDeadline, type RunExecOptions } from './ssh2-exec';
import { Ssh2Link, isDead } from './ssh2-link';
import { atomicWrite, putFile, readData, writeData } from './ssh2-sftp';
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

type RunOptions = Pick<RunExecOptions, 'stdin' | 'input' | 'output'> & { timeoutMs?: number };

export class Ssh2Transport implements HostTransport {
  /** The host key seen on the last connection when it was accepted as new (acceptNewHostKey). */
  offeredHostKey: PinnedHostKey | null = null;
  readonly target: string;
  private readonly link: Ssh2Link;
  private closeOnIdle = false;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly commandTimeoutMs: number;
  private readonly maxChannels: number;
  private readonly maxOutputBytes: number;

  constructor(readonly endpoint: SshEndpoint, private readonly opts: Ssh2TransportOptions = {}) {
    this.target = targetOf(endpoint);
    this.commandTimeoutMs = opts.commandTimeoutMs ?? 600_000;
    this.maxChannels = opts.maxChannels ?? 8;
    this.maxOutputBytes = opts.maxOutputBytes ?? 16 * 1024 * 1024;
    this.link = new Ssh2Link(endpoint, this.target, {
      readyTimeoutMs: opts.readyTimeoutMs ?? 10_000,
      keepaliveIntervalMs: opts.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: opts.keepaliveCountMax ?? 3,
      verifyHostKey: (blob) => this.verifyHostKey(blob),
      log: (line) => this.log(line),
    });
  }

  /** How many SSH connections this transport has opened (diagnostics and tests). */
  get connectCount(): number {
    return this.link.connectCount;
  }

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.run(command, { stdin: opts.stdin, timeoutMs: opts.timeoutMs });
  }

  pipe(command: string, io: { input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream; timeoutMs?: number }): Promise<ExecResult> {
    return this.run(command, io);
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
    this.link.close();
  }

  /** Closes now when no call is running, else after the last one finishes. */
  closeWhenIdle(): void {
    if (this.link.idle) this.close();
    else this.closeOnIdle = true;
  }

  /** close(), then wait until the socket is gone (tests, process exit). */
  shutdown(): Promise<void> {
    return this.link.shutdown();
  }

  private run(command: string, opts: RunOptions): Promise<ExecResult> {
    const t0 = Date.now();
    return this.track(async () => {
      const release = await this.channelSlot();
      const t1 = Date.now();
      // setTimeout cannot wait longer than 2^31-1 ms (it would fire at once), nor can NaN.
      const asked = opts.timeoutMs ?? this.commandTimeoutMs;
      const timeoutMs = Number.isFinite(asked) && asked > 0 ? Math.min(asked, 2 ** 31 - 1) : this.commandTimeoutMs;
      const sent = this.opts.remoteDeadline === false ? command : withRemoteDeadline(command, timeoutMs);
      try {
        const r = await this.link.withConnection(
          (c) => runExec(c.client, sent, {
            ...opts, timeoutMs, name: command,
            maxOutputBytes: this.maxOutputBytes, target: this.target, connectionDead: () => isDead(c),
          }),
          (e) => e instanceof ChannelNotOpened, // exec is not idempotent: only if never sent
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

  private fileOp<T>(op: string, remotePath: string, fn: (s: SFTPWrapper) => Promise<T>): Promise<T> {
    const t0 = Date.now();
    return this.track(async () => {
      try {
        const r = await this.link.withConnection(async (c) => fn(await this.link.sftp(c)), () => true);
        this.log(`sftp ${op}: done in ${Date.now() - t0} ms`);
        return r;
      } catch (e) {
        if (e instanceof HostError) throw e;
        throw new SshTransferError(this.target, op, remotePath, (e as Error).message.replace(/\.$/, ''));
      }
    });
  }

  private verifyHostKey(blob: Buffer): Error | null {
    const name = this.opts.hostName ?? this.endpoint.host;
    const offered = pinnedHostKeyFromBlob(blob);
    const pinned = this.endpoint.hostKey;
    if (pinned) return matchesPinned(pinned, blob) ? null : new HostKeyChangedError(name, pinned.fingerprint, offered.fingerprint);
    if (!this.opts.acceptNewHostKey) return new HostKeyUnknownError(name, offered.fingerprint);
    this.offeredHostKey = offered;
    return null;
  }

  /** FIFO slots for channels: beyond sshd's MaxSessions the server would refuse to open more. */
  private channelSlot(): Promise<() => void> {
    const release = (): void => {
      this.running--;
      this.waiting.shift()?.();
    };
    if (this.running < this.maxChannels) {
      this.running++;
      return Promise.resolve(release);
    }
    return new Promise((resolve) => this.waiting.push(() => { this.running++; resolve(release); }));
  }

  private async track<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await this.link.track(fn);
    } finally {
      if (this.closeOnIdle && this.link.idle) {
        this.closeOnIdle = false;
        this.close();
      }
    }
  }

  private log(line: string): void {
    this.opts.log?.(`ssh ${this.target}: ${line}`);
  }
}
