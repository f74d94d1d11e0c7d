/**
 * An in-memory HostTransport for unit tests of the libvirt driver: records every command (with
 * its stdin) and every file written, answers commands from scripted rules, and keeps files in a
 * map. Tests assert on the exact commands, so they also check the quoting.
 */
import { promises as fsp } from 'fs';
import type { ExecOptions, ExecResult, HostTransport } from './transport';

export type CommandMatcher = RegExp | string | ((command: string, stdin: string | undefined) => boolean);
export type ScriptedResult = Partial<ExecResult>;
export type Responder =
  | ScriptedResult
  | ((command: string, stdin: string | undefined) => ScriptedResult | Promise<ScriptedResult>);

export interface RecordedExec {
  command: string;
  /** stdin decoded as UTF-8; undefined when none was given. */
  stdin?: string;
  timeoutMs?: number;
  /** True for pipe(): stdin was the input stream's content, stdout went to the output stream. */
  piped?: boolean;
}

export interface RecordedWrite {
  path: string;
  data: Buffer;
  mode?: number;
  via: 'writeFile' | 'upload';
  /** For uploads: the local file that was copied. */
  localPath?: string;
}

interface Rule {
  match: CommandMatcher;
  respond: Responder;
  remaining: number;
}

export class FakeTransport implements HostTransport {
  readonly execs: RecordedExec[] = [];
  readonly writes: RecordedWrite[] = [];
  /** The host's files: seed it for readFile, inspect it after writeFile/upload. */
  readonly files = new Map<string, Buffer>();
  closeCount = 0;
  private rules: Rule[] = [];

  /**
   * Scripts the answer to matching commands. A string matches a command that contains it.
   * The most recently added matching rule wins, so a test can override a general rule;
   * `times` limits how often a rule answers. A responder that throws makes exec reject.
   */
  on(match: CommandMatcher, respond: Responder, opts: { times?: number } = {}): this {
    this.rules.push({ match, respond, remaining: opts.times ?? Infinity });
    return this;
  }

  /** `on(...)` for the next matching command only. */
  once(match: CommandMatcher, respond: Responder): this {
    return this.on(match, respond, { times: 1 });
  }

  /** The commands run so far, in order. */
  commands(): string[] {
    return this.execs.map((e) => e.command);
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const stdin = opts.stdin === undefined ? undefined : Buffer.from(opts.stdin).toString('utf8');
    this.execs.push({ command, stdin, timeoutMs: opts.timeoutMs });
    const rule = [...this.rules].reverse().find((r) => r.remaining > 0 && matches(r.match, command, stdin));
    if (!rule) return { code: 0, stdout: '', stderr: '' };
    rule.remaining--;
    const r = typeof rule.respond === 'function' ? await rule.respond(command, stdin) : rule.respond;
    return { code: r.code ?? 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  }

  /** Reads all of `input` as the stdin, answers like exec, writes stdout into `output`. */
  async pipe(command: string, io: { input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream; timeoutMs?: number }): Promise<ExecResult> {
    let stdin: Buffer | undefined;
    if (io.input) {
      const chunks: Buffer[] = [];
      for await (const c of io.input as AsyncIterable<Buffer | string>) chunks.push(Buffer.from(c));
      stdin = Buffer.concat(chunks);
    }
    const r = await this.exec(command, { stdin, timeoutMs: io.timeoutMs });
    this.execs[this.execs.length - 1].piped = true;
    if (!io.output) return r;
    if (r.stdout) io.output.write(r.stdout);
    return { ...r, stdout: '' };
  }

  async upload(localPath: string, remotePath: string, opts: { mode?: number } = {}): Promise<void> {
    const data = await fsp.readFile(localPath);
    this.writes.push({ path: remotePath, data, mode: opts.mode, via: 'upload', localPath });
    this.files.set(remotePath, Buffer.from(data));
  }

  async writeFile(remotePath: string, data: string | Buffer, opts: { mode?: number } = {}): Promise<void> {
    const buf = Buffer.from(data);
    this.writes.push({ path: remotePath, data: buf, mode: opts.mode, via: 'writeFile' });
    this.files.set(remotePath, Buffer.from(buf));
  }

  async readFile(remotePath: string): Promise<Buffer | null> {
    const b = this.files.get(remotePath);
    return b ? Buffer.from(b) : null;
  }

  /** A file's content as text, or undefined (assertion helper). */
  fileText(remotePath: string): string | undefined {
    return this.files.get(remotePath)?.toString('utf8');
  }

  close(): void {
    this.closeCount++;
  }

  /** Forgets what was recorded; keeps the rules and files unless asked. */
  reset(opts: { rules?: boolean; files?: boolean } = {}): void {
    this.execs.length = 0;
    this.writes.length = 0;
    if (opts.rules) this.rules = [];
    if (opts.files) this.files.clear();
  }
}

function matches(m: CommandMatcher, command: string, stdin: string | undefined): boolean {
  if (typeof m === 'string') return command.includes(m);
  if (m instanceof RegExp) {
    m.lastIndex = 0; // a /g regex would otherwise match every other time
    return m.test(command);
  }
  return m(command, stdin);
}
