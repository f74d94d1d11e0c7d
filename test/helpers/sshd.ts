// A private OpenSSH server for tests: its own config, keys, port and log in a temp dir, on
// 127.0.0.1 only, key-only auth. Never touches /etc/ssh or root's ~/.ssh. Needs root (sshd's
// privilege separation) and openssh-server; without them the suites skip, except under CI=true.
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

const SSHD = '/usr/sbin/sshd';
const SFTP_SERVER = '/usr/lib/openssh/sftp-server';
const SSH_KEYGEN = '/usr/bin/ssh-keygen';

export interface TestSshd {
  port: number;
  user: string;
  /** The authorised client key (ed25519, unencrypted). */
  keyPath: string;
  hostKeyPath: string;
  /** `SHA256:…` of the current host key, as `ssh-keygen -lf` prints it. */
  hostKeyFingerprint: string;
  /** The current host public key line (`ssh-ed25519 AAAA… comment`). */
  hostKeyPub: string;
  dir: string;
  logPath: string;
  /** The sshd log so far. */
  log(): string;
  /** A fresh client key that is not authorised. */
  newClientKey(name: string): string;
  /** Kills sshd and its connections and removes the directory. */
  stop(): Promise<void>;
  /** Like a reinstalled host: same address, new host key. */
  restartWithNewHostKey(): Promise<void>;
  /** Like a host going down: kills the listener and every connection (no goodbye). */
  kill(): Promise<void>;
  /** Starts sshd again (after kill) on the same port with the same keys. */
  start(): Promise<void>;
  /** SIGSTOPs every open connection (a peer gone silent); returns a function that kills them. */
  freezeConnections(): () => void;
}

function ciRequired(): boolean {
  const ci = (process.env.CI ?? '').toLowerCase();
  return ci === 'true' || ci === '1';
}

/** Whether a private sshd can run here. Under CI=true a missing piece throws instead. */
export function sshdAvailable(): boolean {
  const missing = [SSHD, SFTP_SERVER, SSH_KEYGEN].filter((p) => !fs.existsSync(p));
  if (process.getuid?.() !== 0) missing.push('root (sshd privilege separation)');
  if (missing.length && ciRequired()) {
    throw new Error(`sshd tests need ${missing.join(', ')} but CI=true: install openssh-server and run as root.`);
  }
  return missing.length === 0;
}

/** `describe` when sshd can run, else `describe.skip` with the reason in the title. */
export function describeWithSshd(name: string, fn: () => void): void {
  if (sshdAvailable()) describe(name, fn);
  else describe.skip(`${name} (skipped: openssh-server or root not available)`, fn);
}

function keygen(file: string, comment: string): void {
  for (const f of [file, `${file}.pub`]) fs.rmSync(f, { force: true });
  execFileSync(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
}

function fingerprint(pubFile: string): string {
  return execFileSync(SSH_KEYGEN, ['-lf', pubFile], { encoding: 'utf8' }).split(/\s+/)[1];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once something on the port sends an SSH banner. */
async function waitForBanner(port: number, deadlineMs = 5000): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('data', (d) => { s.destroy(); resolve(d.toString().startsWith('SSH-')); });
      s.once('error', () => resolve(false));
      s.setTimeout(500, () => { s.destroy(); resolve(false); });
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`sshd did not start listening on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The pids of every descendant of `pid` (sshd forks one monitor and child per connection). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(e)]);
    } catch { /* exited meanwhile */ }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) { out.push(c); walk(c); }
  };
  walk(pid);
  return out;
}

export async function startSshd(): Promise<TestSshd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'novalite-sshd-'));
  const keyPath = path.join(dir, 'id_ed25519');
  const hostKeyPath = path.join(dir, 'ssh_host_ed25519_key');
  const logPath = path.join(dir, 'sshd.log');
  const configPath = path.join(dir, 'sshd_config');
  keygen(keyPath, 'novalite-test-client');
  keygen(hostKeyPath, 'novalite-test-host');
  fs.copyFileSync(`${keyPath}.pub`, path.join(dir, 'authorized_keys'));
  const port = await freePort();
  fs.writeFileSync(configPath, [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${hostKeyPath}`, `PidFile ${path.join(dir, 'sshd.pid')}`,
    'PermitRootLogin prohibit-password', 'PubkeyAuthentication yes', 'PasswordAuthentication no',
    'KbdInteractiveAuthentication no', 'UsePAM no', `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    'StrictModes no', `Subsystem sftp ${SFTP_SERVER}`, 'LogLevel VERBOSE', '',
  ].join('\n'));
  fs.mkdirSync('/run/sshd', { recursive: true });

  let proc: ChildProcess | null = null;
  const kill = async (): Promise<void> => {
    const p = proc;
    proc = null;
    if (!p || p.exitCode !== null || p.pid === undefined) return;
    const exited = new Promise<void>((r) => p.once('exit', () => r()));
    for (const pid of [p.pid, ...descendants(p.pid)]) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
    await exited;
  };
  const start = async (): Promise<void> => {
    if (proc) return;
    // -D keeps sshd in the foreground so it is our child: we know its pid and see it exit.
    const p = spawn(SSHD, ['-D', '-f', configPath, '-E', logPath], { stdio: 'ignore' });
    proc = p;
    // A worker that dies without afterAll must not leave its sshd listening.
    const reap = (): void => { if (p.exitCode === null) p.kill('SIGKILL'); };
    process.once('exit', reap);
    p.once('exit', () => process.removeListener('exit', reap));
    const early = new Promise<never>((_, reject) => p.once('exit', (code) => reject(new Error(`sshd exited with ${code}; see ${logPath}`))));
    early.catch(() => undefined);
    await Promise.race([waitForBanner(port), early]);
  };

  const s: TestSshd = {
    port,
    user: os.userInfo().username,
    keyPath,
    hostKeyPath,
    hostKeyFingerprint: fingerprint(`${hostKeyPath}.pub`),
    hostKeyPub: fs.readFileSync(`${hostKeyPath}.pub`, 'utf8').trim(),
    dir,
    logPath,
    log: () => (fs.existsSync(logPath) ? fs.readFileSync(logPath, 'utf8') : ''),
    newClientKey(name: string): string {
      const f = path.join(dir, name);
      keygen(f, `novalite-test-${name}`);
      return f;
    },
    async stop() {
      await kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    async restartWithNewHostKey() {
      await kill();
      keygen(hostKeyPath, 'novalite-test-host-reinstalled');
      s.hostKeyFingerprint = fingerprint(`${hostKeyPath}.pub`);
      s.hostKeyPub = fs.readFileSync(`${hostKeyPath}.pub`, 'utf8').trim();
      await start();
    },
    kill,
    start,
    freezeConnections() {
      const pids = proc?.pid === undefined ? [] : descendants(proc.pid);
      const signal = (sig: NodeJS.Signals): void => {
        for (const pid of pids) {
          try { process.kill(pid, sig); } catch { /* gone */ }
        }
      };
      signal('SIGSTOP');
      return () => signal('SIGKILL');
    },
  };
  await start();
  return s;
}
