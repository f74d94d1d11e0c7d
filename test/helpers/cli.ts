/**
 * Runs novalite commands for tests. `runCli` runs in-process against the compiled CLI in dist/
 * (fast: no Node start-up), capturing stdout, stderr and the exit code; `spawnCli` starts the
 * real bin/run.js as a process, for the contract that only a process shows.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'run.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when it is one document, else undefined. */
  json: any;
}

function parse(stdout: string): unknown {
  try {
    return JSON.parse(stdout);
  } catch {
    return undefined;
  }
}

/** A fresh, empty environment for novalite: its own HOME, state and config dirs, no CI prompts. */
export function isolatedEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'nl-home-'));
  return {
    HOME: home, XDG_DATA_HOME: path.join(home, 'data'), XDG_CONFIG_HOME: path.join(home, 'config'),
    NOVALITE_CONFIG_FILE: '', NOVALITE_API_DATABASE_CONNECTION: '', NOVALITE_DATABASE_CONNECTION: '', NOVALITE_STATE_PATH: '',
    NO_COLOR: '1', ...extra,
  };
}

export async function runCli(argv: string[], env: Record<string, string> = {}): Promise<CliResult> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { run, flush, Errors } = require('@oclif/core');
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) { saved[k] = process.env[k]; process.env[k] = v; }
  let stdout = '';
  let stderr = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  (process.stdout as any).write = (c: any) => { stdout += String(c); return true; };
  (process.stderr as any).write = (c: any) => { stderr += String(c); return true; };
  let code = 0;
  try {
    await run(argv, ROOT);
    await flush?.();
  } catch (e: any) {
    if (e instanceof Errors.ExitError || e?.oclif?.exit !== undefined) code = e.oclif?.exit ?? 1;
    else { code = 1; stderr += String(e?.stack ?? e); }
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
    for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
  }
  return { code, stdout, stderr, json: parse(stdout) };
}

export function spawnCli(argv: string[], env: Record<string, string> = {}, input?: string): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...argv], {
    env: { ...process.env, ...env }, encoding: 'utf8', input: input ?? '', timeout: 60000,
  });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr, json: parse(r.stdout) };
}

/**
 * A fresh isolated environment with the databases synced and cells set up, then `steps` run in
 * order (each must exit 0; a failure throws with its stderr).
 */
export async function setupEnv(steps: string[][] = [], extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const env = isolatedEnv(extra);
  for (const argv of [['api-db', 'sync'], ['db', 'sync'], ['cell-v2', 'simple-cell-setup'], ...steps]) {
    const r = await runCli(argv, env);
    if (r.code !== 0) throw new Error(`novalite ${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
  }
  return env;
}

/** A small cloud for server tests: host h1 (8 vCPU, 16.5 GB, 200 GB), flavor f1, image cirros. */
export async function serverCloud(): Promise<Record<string, string>> {
  const env = await setupEnv([
    ['host', 'add', 'h1', '--driver', 'fake', '--vcpus', '8', '--memory-mb', '16896', '--disk-gb', '200'],
    ['flavor', 'create', 'f1', '--vcpus', '1', '--ram', '1024', '--disk', '10']]);
  const file = path.join(env.HOME, 'cirros.img');
  fs.writeFileSync(file, 'not really a disk image\n');
  const r = await runCli(['image', 'create', 'cirros', '--file', file], env);
  if (r.code !== 0) throw new Error(`image create exited ${r.code}: ${r.stderr}`);
  return env;
}
