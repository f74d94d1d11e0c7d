/**
 * The real OpenStack clients against a real `novalite serve`: starts the server from dist/
 * (bin/run.js) as a child process on a test environment, writes clouds.yaml, and runs Debian's
 * `openstack`, `nova` and openstacksdk scripts with a clean environment (`env -i` style: only
 * PATH=/usr/bin:/bin, HOME and the OS_* variables), because the python3 first on PATH here
 * cannot import them (see /work/shared/notes/openstack-clients.md).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BIN, ROOT } from './cli';

export const OPENSTACK = '/usr/bin/openstack';
export const NOVA = '/usr/bin/nova';
export const PYTHON3 = '/usr/bin/python3';

/** Why the clients cannot run here (not installed, or dist/ not built), or null. */
export function clientsMissing(): string | null {
  for (const f of [OPENSTACK, NOVA, PYTHON3]) if (!fs.existsSync(f)) return `${f} is missing (run scripts/ci/openstack-clients.sh as root)`;
  if (!fs.existsSync(path.join(ROOT, 'dist', 'commands', 'serve.js'))) return 'dist/ is not built (npm run build)';
  return null;
}

export interface Served { url: string; proc: ChildProcess; log(): string; stop(): Promise<void> }

/** `novalite serve … --port 0 --json` on `env`; resolves once it prints where it listens. */
export function serve(env: Record<string, string>, args: string[]): Promise<Served> {
  const proc = spawn(process.execPath, [BIN, 'serve', ...args, '--port', '0', '--json'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d) => { err += String(d); });
  const stop = () => new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) { resolve(); return; }
    const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    proc.once('exit', () => { clearTimeout(t); resolve(); });
    proc.kill('SIGTERM');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { void stop(); reject(new Error(`novalite serve did not start in 60 s: ${err}`)); }, 60_000);
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`novalite serve exited ${code}: ${err}`)); });
    proc.stdout!.on('data', (d) => {
      out += String(d);
      const line = out.split('\n').find((l) => l.includes('"listening"'));
      if (!line) return;
      clearTimeout(timer);
      proc.removeAllListeners('exit');
      resolve({ url: JSON.parse(line).listening, proc, log: () => err, stop });
    });
  });
}

export interface RunResult { code: number; stdout: string; stderr: string; json: any }

/** Runs a program with exactly this environment (nothing inherited), asynchronously. */
export function run(cmd: string, args: string[], env: Record<string, string>, o: { timeoutMs?: number; input?: string } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += String(d); });
    p.stderr.on('data', (d) => { stderr += String(d); });
    const t = setTimeout(() => { stderr += `\n(killed after ${o.timeoutMs ?? 180_000} ms)`; p.kill('SIGKILL'); }, o.timeoutMs ?? 180_000);
    p.stdin.end(o.input ?? '');
    p.on('close', (code, signal) => {
      clearTimeout(t);
      let json: any;
      try { json = JSON.parse(stdout); } catch { json = undefined; }
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, json });
    });
  });
}

/** A client workspace: HOME and a clouds.yaml naming each cloud of `clouds`. */
export class Clients {
  readonly home: string;
  readonly file: string;

  constructor(dir: string, clouds: Record<string, Record<string, unknown>>) {
    this.home = dir;
    this.file = path.join(dir, 'clouds.yaml');
    fs.writeFileSync(this.file, JSON.stringify({ clouds }, null, 1)); // JSON is YAML
  }

  env(cloud: string, extra: Record<string, string> = {}): Record<string, string> {
    return { PATH: '/usr/bin:/bin', HOME: this.home, OS_CLIENT_CONFIG_FILE: this.file, OS_CLOUD: cloud, ...extra };
  }

  /** `openstack ARGS` on `cloud`; `-f json` output parsed into `.json`. */
  osc(cloud: string, args: string[], extra: Record<string, string> = {}): Promise<RunResult> {
    return run(OPENSTACK, args, this.env(cloud, extra));
  }

  /** An openstacksdk script (/usr/bin/python3) on `cloud`: `conn` is openstack.connect(cloud=…). */
  sdk(cloud: string, script: string): Promise<RunResult> {
    const prelude = `import json, openstack\nconn = openstack.connect(cloud=${JSON.stringify(cloud)})\n`;
    return run(PYTHON3, ['-c', prelude + script], this.env(cloud));
  }
}

/** `env -i`-style environment for the nova CLI, which takes its credentials from OS_* variables. */
export function novaEnv(home: string, o: { authUrl: string; user: string; password: string; project: string }): Record<string, string> {
  return {
    PATH: '/usr/bin:/bin', HOME: home, OS_AUTH_URL: o.authUrl, OS_USERNAME: o.user, OS_PASSWORD: o.password,
    OS_PROJECT_NAME: o.project, OS_USER_DOMAIN_NAME: 'Default', OS_PROJECT_DOMAIN_NAME: 'Default',
  };
}

/** A failure message that shows what the client printed. */
export function explain(r: RunResult, what: string): string {
  return `${what} exited ${r.code}\nstdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr.slice(-3000)}`;
}

/** An OpenSSH ed25519 public key line (2.92 refuses to generate keys: the client imports one). */
export function sshPublicKey(comment = 'conformance'): string {
  const der = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
  const raw = der.subarray(der.length - 32);
  const str = (b: Buffer) => { const n = Buffer.alloc(4); n.writeUInt32BE(b.length); return Buffer.concat([n, b]); };
  return `ssh-ed25519 ${Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]).toString('base64')} ${comment}`;
}
