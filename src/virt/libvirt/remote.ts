/**
 * A host as the driver talks to it: commands that must succeed (a non-zero exit becomes a
 * HostError quoting the tool's own error line), virsh against the system connection, and the
 * domain state parsing every operation needs.
 */
import { HostError } from '../../lib/errors';
import { sh } from './ssh/quote';
import type { ExecOptions, ExecResult, HostTransport } from './ssh/transport';

export const VIRSH = ['virsh', '-q', '-c', 'qemu:///system'] as const;

/** libvirt's domstate words → what the driver reasons about. */
export type DomState = 'running' | 'paused' | 'shut off' | 'shutdown' | 'crashed' | 'pmsuspended' | 'in shutdown' | 'idle' | 'no state' | 'missing';

export class HostCommandError extends HostError {
  constructor(readonly host: string, readonly what: string, readonly result: ExecResult) {
    super(`${what} failed on host ${host}: ${firstError(result)}`, { code: 'HOST_COMMAND_FAILED' });
  }
}

/** The line that says what went wrong (virsh prints `error: …`), else stderr's last line, else stdout's. */
export function firstError(r: ExecResult): string {
  const split = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean);
  const [errLines, outLines] = [split(r.stderr), split(r.stdout)];
  // stdout's progress lines (`Domain … defined`, probe markers) must not hide a tool's complaint on stderr.
  const err = [...errLines, ...outLines].filter((l) => /^error:/i.test(l)).slice(-1)[0]
    ?? errLines.slice(-1)[0] ?? outLines.slice(-1)[0] ?? `exit code ${r.code}`;
  return err.length > 400 ? `${err.slice(0, 400)}…` : err;
}

export class Remote {
  constructor(readonly host: string, readonly transport: HostTransport) {}

  /** Runs a command; a non-zero exit is a HostCommandError named after `what`. */
  async run(what: string, command: string, opts?: ExecOptions): Promise<string> {
    const r = await this.transport.exec(command, opts);
    if (r.code !== 0) throw new HostCommandError(this.host, what, r);
    return r.stdout;
  }

  /** Runs a command and returns its result whatever the exit code. */
  try(command: string, opts?: ExecOptions): Promise<ExecResult> {
    return this.transport.exec(command, opts);
  }

  virsh(...args: string[]): Promise<string> {
    return this.run(`virsh ${args[0]}`, sh(...VIRSH, ...args));
  }

  /** The domain's state, or 'missing' when the host has no such domain. */
  async domState(name: string): Promise<DomState> {
    const r = await this.try(sh(...VIRSH, 'domstate', name));
    if (r.code !== 0) {
      if (/failed to get domain|Domain not found/i.test(r.stderr)) return 'missing';
      throw new HostCommandError(this.host, 'virsh domstate', r);
    }
    return r.stdout.trim().split('\n')[0].trim() as DomState;
  }

  /** Polls the domain state until `want` holds or `seconds` pass; returns the last state. */
  async waitState(name: string, want: (s: DomState) => boolean, seconds: number, stepMs = 250): Promise<DomState> {
    const until = Date.now() + seconds * 1000;
    for (;;) {
      const s = await this.domState(name);
      if (want(s) || Date.now() >= until) return s;
      await new Promise((r) => setTimeout(r, stepMs));
    }
  }
}
