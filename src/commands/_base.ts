/**
 * The base of every command: global flags, the Context, the `--json` contract (one document on
 * stdout, nothing else there), the error envelope and the exit codes of DESIGN.md §5, and the
 * rule that nothing prompts without a TTY.
 */
import { Command, Errors, Interfaces } from '@oclif/core';
import chalk from 'chalk';
import { format } from 'node:util';
import { Context } from '../lib/context';
import { CancelledError, InvalidInputError, isNovaliteError, NovaliteError } from '../lib/errors';
import { globalFlags } from './_flags';

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>;
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override baseFlags = globalFlags;

  protected flags!: BaseFlags<T>;
  protected args!: BaseArgs<T>;
  private context?: Context;

  /** Does the work and returns what `--json` prints. */
  protected abstract execute(): Promise<unknown>;
  /** Prints the result for people; the default prints it as JSON. */
  protected renderHuman(result: unknown): void {
    if (result !== undefined) this.log(JSON.stringify(result, null, 2));
  }

  public override async init(): Promise<void> {
    await super.init();
    if (process.env.NO_COLOR !== undefined || !process.stdout.isTTY) chalk.level = 0;
    const { flags, args } = await this.parse({
      flags: this.ctor.flags, baseFlags: (this.ctor as typeof BaseCommand).baseFlags, args: this.ctor.args, strict: this.ctor.strict,
    });
    this.flags = flags as BaseFlags<T>;
    this.args = args as BaseArgs<T>;
  }

  protected get ctx(): Context {
    if (!this.context) {
      this.context = new Context({ configFile: this.flags['config-file'] });
      for (const w of this.context.config.warnings) this.warnLine(`Warning: ${w}`);
    }
    return this.context;
  }

  protected get jsonMode(): boolean { return !!this.flags?.json || this.argv.includes('--json'); }

  /** True only on a terminal, without --yes, --json or CI=true. */
  protected get interactive(): boolean {
    return !!process.stdin.isTTY && !!process.stdout.isTTY && !this.flags.yes && !this.jsonMode && process.env.CI !== 'true';
  }

  /** Human output goes straight to stdout (oclif's logger would route through console). */
  public override log(message = '', ...args: unknown[]): void {
    process.stdout.write(`${format(message, ...args)}\n`);
  }

  /** A line for people on stderr (never pollutes --json stdout). */
  protected warnLine(s: string): void { process.stderr.write(`${s}\n`); }

  /**
   * Before doing anything else, a command takes over durable tasks whose process died (so a
   * killed `server create` is settled by whatever runs next). Schema and setup commands skip it:
   * they may run before the databases exist.
   */
  private async recoverTasks(): Promise<void> {
    const topic = (this.id ?? '').split(':')[0];
    if (['config', 'db', 'api-db', 'api_db', 'cell-v2', 'cell_v2', 'status'].includes(topic)) return;
    try {
      await this.ctx.recoverTasks();
    } catch (e) {
      if (!isNovaliteError(e)) throw e;
    }
  }

  /** Long-running commands (serve) print their one JSON document themselves, when ready. */
  protected printsOwnJson = false;

  public async run(): Promise<unknown> {
    await this.recoverTasks();
    const result = await this.execute();
    if (this.jsonMode && !this.printsOwnJson) process.stdout.write(`${JSON.stringify(result ?? null)}\n`);
    else this.renderHuman(result);
    const code = this.exitCodeFor(result);
    if (code !== 0) throw new Errors.ExitError(code);
    return result;
  }

  /** The exit code of a run that completed (e.g. `status upgrade-check` warnings); default 0. */
  protected exitCodeFor(_result: unknown): number {
    return 0;
  }

  protected override async catch(err: Error & { oclif?: { exit?: number } }): Promise<unknown> {
    if (err instanceof Errors.ExitError) throw err;
    const verbose = !!(this.flags?.verbose || this.flags?.debug || this.argv.includes('--verbose') || this.argv.includes('--debug'));
    let ne: NovaliteError | null = isNovaliteError(err) ? err : null;
    // Ctrl-C at an inquirer prompt: the user cancelled, not a bug.
    if (!ne && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError')) ne = new CancelledError();
    if (!ne && (err instanceof Errors.CLIError) && (err.oclif?.exit === 2 || err.constructor.name.endsWith('Error'))) {
      const msg = err.message.split('\n').map((l) => l.trim()).filter((l) => l && !/^The following errors occurred:?$/.test(l) && !/^See more help with/.test(l)).join(' ')
        .replace(/Missing required flag (?!-)(\S+)/g, 'Missing required flag --$1');
      ne = new InvalidInputError(msg, { code: 'USAGE', hint: `Run \`novalite ${this.id?.replace(/:/g, ' ') ?? ''} --help\` for the flags.` });
    }
    const payload = ne ? ne.toJSON() : { code: 'INTERNAL_ERROR', message: `novalite hit a bug: ${err.message}`, hint: 'Run again with --verbose for the stack trace, and report it.' };
    if (this.jsonMode) process.stdout.write(`${JSON.stringify({ error: payload })}\n`);
    process.stderr.write(`${chalk.red('Error:')} ${payload.message}\n${payload.hint ? `${chalk.dim(payload.hint)}\n` : ''}`);
    if (!ne && verbose) process.stderr.write(`${err.stack}\n`);
    throw new Errors.ExitError(ne ? ne.exitCode : 1);
  }

  protected override async finally(err: Error | undefined): Promise<unknown> {
    if (this.context) await this.context.close();
    return super.finally(err);
  }
}
