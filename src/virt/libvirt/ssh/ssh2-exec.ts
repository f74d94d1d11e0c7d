/**
 * One command on one ssh2 session channel: stdin in, capped stdout/stderr out, exit status,
 * timeout. Tells the transport whether the command could have started, because only a command
 * that was never sent may be retried on a fresh connection (exec is not idempotent).
 */
import { constants as osConstants } from 'os';
import type { Client, ClientChannel } from 'ssh2';
import { HostError } from '../../../lib/errors';
import { SshCommandTimeout, SshConnectionLostError, commandName } from './errors';
import { shq } from './quote';
import type { ExecResult } from './transport';

/** The channel could not be opened: the command was never sent, so a retry is safe. */
export class ChannelNotOpened extends Error {
  constructor(readonly reason: string) {
    super(`SSH channel not opened: ${reason}`);
  }
}

export interface RunExecOptions {
  stdin?: string | Buffer;
  /** Streamed stdin (pipe): the channel's stdin ends when it ends. Takes precedence over stdin. */
  input?: NodeJS.ReadableStream;
  /** Streamed stdout (pipe): written with backpressure and not ended; result stdout is ''. */
  output?: NodeJS.WritableStream;
  timeoutMs: number;
  /** The command as the caller wrote it (errors name its first word, not the wrapper's). */
  name?: string;
  maxOutputBytes: number;
  target: string;
  /** Whether the connection is gone (to tell a lost connection from a refused request). */
  connectionDead: () => boolean;
}

/** Collects a stream up to a cap; what comes after is counted, not kept (hosts can be chatty). */
class Capped {
  private chunks: Buffer[] = [];
  private kept = 0;
  private dropped = 0;
  constructor(private readonly max: number) {}
  push(b: Buffer): void {
    const room = this.max - this.kept;
    if (room >= b.length) {
      this.chunks.push(b);
      this.kept += b.length;
    } else {
      if (room > 0) this.chunks.push(b.subarray(0, room));
      this.kept += Math.max(room, 0);
      this.dropped += b.length - Math.max(room, 0);
    }
  }
  text(): string {
    const s = Buffer.concat(this.chunks).toString('utf8');
    return this.dropped ? `${s}\n[novalite: output truncated, ${this.dropped} more bytes dropped]\n` : s;
  }
}

/** Shell convention: a command killed by signal N exits 128+N; unknown signals give -1. */
export function signalExitCode(signal: string | undefined | null): number {
  const n = signal ? (osConstants.signals as Record<string, number>)[signal] : undefined;
  return n ? 128 + n : -1;
}

/**
 * The command as sent: under coreutils `timeout`, which kills the command's whole process group
 * `graceMs` after our own deadline. Needed because sshd ignores SSH signal requests for root
 * logins ("session signalling requires privilege separation"), and closing a channel without a
 * pty leaves the command running; it also bounds a command whose connection was lost.
 */
export function withRemoteDeadline(command: string, timeoutMs: number, graceMs = 1000): string {
  const secs = Math.max(1, Math.ceil((timeoutMs + graceMs) / 100) / 10);
  return `timeout -s KILL ${secs} sh -c ${shq(command)}`;
}

/**
 * ssh2's Channel.signal() silently does nothing once stdin is ended (it checks `writable`),
 * and we always end stdin. A signal after EOF is valid SSH (RFC 4254 §6.9), so send it through
 * the protocol object, as Channel.signal itself does (ssh2 1.17 internals; pinned version).
 */
function sendSignal(ch: ClientChannel, name: string): void {
  const c = ch as unknown as { outgoing?: { id: number; state: string }; _client?: { _protocol?: { signal?: (id: number, sig: string) => void } } };
  try {
    const proto = c._client?._protocol;
    if (c.outgoing && (c.outgoing.state === 'open' || c.outgoing.state === 'eof') && typeof proto?.signal === 'function') {
      proto.signal(c.outgoing.id, name);
    } else {
      ch.signal(name);
    }
  } catch {
    /* channel or connection already gone */
  }
}

export function runExec(client: Client, sent: string, o: RunExecOptions): Promise<ExecResult> {
  const command = o.name ?? sent;
  return new Promise<ExecResult>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    let channel: ClientChannel | null = null;
    const timer = setTimeout(() => {
      settle(() => reject(new SshCommandTimeout(o.target, command, o.timeoutMs)));
      if (channel) {
        // Without a pty, closing the channel does not kill the remote process: signal it first
        // (sshd sends it to the command's whole process group).
        sendSignal(channel, 'KILL');
        try { channel.close(); } catch { /* channel already gone */ }
      }
    }, o.timeoutMs);

    const onChannel = (err: Error | undefined, stream: ClientChannel): void => {
      if (err) {
        // ssh2 says 'Unable to exec' once the exec request was sent; every earlier failure
        // (open refused, connection closed while opening) means the command never left us.
        if (err.message !== 'Unable to exec') return settle(() => reject(new ChannelNotOpened(err.message)));
        return settle(() => reject(o.connectionDead()
          ? new SshConnectionLostError(o.target, command)
          : new HostError(`The SSH server on ${o.target} refused to run \`${commandName(command)}\`.`, { code: 'SSH_EXEC_REFUSED' })));
      }
      if (settled) {
        stream.close(); // timed out while the channel was opening
        return;
      }
      channel = stream;
      const out = new Capped(o.maxOutputBytes);
      const errOut = new Capped(o.maxOutputBytes);
      let code: number | null = null;
      let signal: string | null = null;
      if (o.output) stream.pipe(o.output, { end: false });
      else stream.on('data', (d: Buffer) => out.push(d));
      stream.stderr.on('data', (d: Buffer) => errOut.push(d));
      stream.on('exit', (c: number | null, s?: string) => {
        code = c;
        signal = s ?? null;
      });
      // A command that exits without reading its stdin makes the write fail: not our error.
      stream.on('error', () => undefined);
      stream.on('close', () => {
        if (code === null && signal === null && o.connectionDead()) {
          return settle(() => reject(new SshConnectionLostError(o.target, command)));
        }
        const exit = code ?? signalExitCode(signal);
        settle(() => resolve({ code: exit, stdout: out.text(), stderr: errOut.text() }));
      });
      // Always close stdin, or `cat`-like commands would wait for input forever.
      if (o.input) {
        o.input.on('error', () => {
          // The producer failed: end stdin so the remote side sees EOF and fails on its own.
          try { stream.end(); } catch { /* gone */ }
        });
        o.input.pipe(stream);
      } else if (o.stdin !== undefined) stream.end(o.stdin);
      else stream.end();
    };

    try {
      client.exec(sent, onChannel);
    } catch (e) {
      settle(() => reject(new ChannelNotOpened((e as Error).message))); // 'Not connected'
    }
  });
}
