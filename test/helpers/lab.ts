// The libvirt lab the end-to-end suites run against: two real libvirt hosts on this machine
// (host1 = the machine, host2 = a network + mount namespace), reached over SSH with one key.
// scripts/ci/libvirt-lab.sh starts it and writes STATE/libvirt.env; scripts/test.sh sources
// that file, so jest inherits the NOVALITE_LAB_* variables read here.
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export type LabHostNumber = 1 | 2;

export interface LabHost {
  /** SSH address and port as a driver should use them (host1: 127.0.0.1:2222, host2: 10.99.0.2:22). */
  addr: string;
  port: number;
  /** Address the other host reaches this one on (live migration traffic, --migrateuri). */
  migrationAddr: string;
  /** What `hostname` prints on the host (host2 is always `host2`). */
  hostname: string;
  /** Pidfile of the host's sshd listener (see labScript('sshd-stop' | 'sshd-start' | 'rekey')). */
  sshdPidfile: string;
  /** The host's current ed25519 host key (.pub); rekey replaces it. */
  hostKeyPub: string;
}

export interface LabEnv {
  /** STATE directory the lab was started with. */
  state: string;
  /** Absolute path of scripts/ci/libvirt-lab.sh. */
  script: string;
  /** Client private key (OpenSSH ed25519) both hosts accept for root. */
  key: string;
  hosts: Record<LabHostNumber, LabHost>;
  /** Guest fixture: direct kernel boot, busybox initramfs, serial console on ttyS0. */
  kernel: string;
  initrd: string;
  cmdline: string;
}

export interface LabResult {
  code: number;
  stdout: string;
  stderr: string;
}

function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = (env.CI ?? '').toLowerCase();
  return ci === 'true' || ci === '1' || env.NOVALITE_REQUIRE_LAB === '1';
}

/** The lab from NOVALITE_LAB_* variables, or null when no lab is running (variables absent). */
export function labEnv(env: NodeJS.ProcessEnv = process.env): LabEnv | null {
  const v = (name: string): string | null => {
    const x = env[name]?.trim();
    return x ? x : null;
  };
  const key = v('NOVALITE_LAB_KEY');
  const state = v('NOVALITE_LAB_STATE');
  if (!key || !state) return null;
  const need = (name: string): string => {
    const x = v(name);
    if (!x) throw new Error(`NOVALITE_LAB_KEY is set but ${name} is not: source a complete STATE/libvirt.env`);
    return x;
  };
  const host = (n: LabHostNumber): LabHost => ({
    addr: need(`NOVALITE_LAB_HOST${n}_ADDR`),
    port: Number(need(`NOVALITE_LAB_HOST${n}_PORT`)),
    migrationAddr: need(`NOVALITE_LAB_HOST${n}_MIGRATION_ADDR`),
    hostname: v(`NOVALITE_LAB_HOST${n}_HOSTNAME`) ?? (n === 2 ? 'host2' : ''),
    sshdPidfile: need(`NOVALITE_LAB_HOST${n}_SSHD_PIDFILE`),
    hostKeyPub: v(`NOVALITE_LAB_HOST${n}_HOSTKEY_PUB`) ?? '',
  });
  return {
    state,
    script: v('NOVALITE_LAB_SCRIPT') ?? path.resolve(__dirname, '../../scripts/ci/libvirt-lab.sh'),
    key,
    hosts: { 1: host(1), 2: host(2) },
    kernel: need('NOVALITE_LAB_KERNEL'),
    initrd: need('NOVALITE_LAB_INITRD'),
    cmdline: v('NOVALITE_LAB_CMDLINE') ?? 'console=ttyS0 panic=-1',
  };
}

/**
 * The lab, or null when it is absent outside CI. Under CI=true (or NOVALITE_REQUIRE_LAB=1) an
 * absent lab throws: no suite may silently skip there.
 */
export function requireLab(env: NodeJS.ProcessEnv = process.env): LabEnv | null {
  const lab = labEnv(env);
  if (!lab && isCi(env)) {
    throw new Error(
      'The libvirt lab is not running (NOVALITE_LAB_* not set), but CI=true or NOVALITE_REQUIRE_LAB=1 ' +
        'requires it: run the tests through `npm test` (scripts/test.sh starts it), or run ' +
        '`bash scripts/ci/libvirt-lab.sh start STATE` as root and source STATE/libvirt.env',
    );
  }
  return lab;
}

/**
 * describe() when the lab is up; describe.skip() when it is not and we are not under CI; under
 * CI without the lab, a suite whose one test fails with requireLab's message.
 */
export function describeLab(name: string, fn: (lab: LabEnv) => void): void {
  let lab: LabEnv | null;
  try {
    lab = requireLab();
  } catch (e) {
    const err = e as Error;
    describe(name, () => {
      it('needs the libvirt lab', () => {
        throw err;
      });
    });
    return;
  }
  if (lab) {
    const l = lab;
    describe(name, () => fn(l));
  } else {
    // Reason: no lab outside CI (not root, or NOVALITE_TEST_LIBVIRT=0); under CI the suite fails instead.
    describe.skip(name, () => fn(null as unknown as LabEnv));
  }
}

function currentLab(): LabEnv {
  const lab = labEnv();
  if (!lab) throw new Error('The libvirt lab is not running (NOVALITE_LAB_* not set)');
  return lab;
}

function run(cmd: string, args: string[], opts: { input?: string; timeoutMs: number }): Promise<LabResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ').slice(0, 200)}: timed out after ${opts.timeoutMs} ms\n${stderr}`));
    }, opts.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.on('error', () => undefined); // the command may exit without reading its input
    child.stdin.end(opts.input ?? '');
  });
}

/** The ssh argv (without the remote command) for a lab host: the system client, lab key, no host key checks. */
export function labSshArgs(host: LabHostNumber, lab: LabEnv = currentLab()): string[] {
  const h = lab.hosts[host];
  return [
    '-i', lab.key,
    '-o', 'StrictHostKeyChecking=no',
    '-o', 'UserKnownHostsFile=/dev/null',
    '-o', 'BatchMode=yes',
    '-o', 'LogLevel=ERROR', // no "Permanently added ..." on every call
    '-o', 'ConnectTimeout=10',
    '-p', String(h.port),
    `root@${h.addr}`,
  ];
}

/**
 * Runs a shell command on a lab host as root via the system `ssh` binary (not novalite's
 * transport), so a test can check the host behind the driver's back. Resolves with the exit
 * code (255: ssh itself failed); rejects only when it times out.
 */
export function labSsh(
  host: LabHostNumber,
  command: string,
  opts: { input?: string; timeoutMs?: number } = {},
): Promise<LabResult> {
  return run('ssh', [...labSshArgs(host), command], { input: opts.input, timeoutMs: opts.timeoutMs ?? 60_000 });
}

/**
 * `scripts/ci/libvirt-lab.sh SUB STATE ARGS...`, e.g. labScript('sshd-stop', 'host2'),
 * labScript('sshd-start', 'host2'), labScript('rekey', 'host2'). Rejects when it exits non-zero.
 */
export async function labScript(sub: string, ...args: string[]): Promise<LabResult> {
  const lab = currentLab();
  const r = await run('bash', [lab.script, sub, lab.state, ...args], { timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`libvirt-lab.sh ${sub} ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
  return r;
}

/** Polls a file on a lab host until it contains `text`; resolves with the file's content. */
export async function labWaitForText(
  host: LabHostNumber,
  file: string,
  text: string,
  timeoutMs = 60_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  let last: LabResult | null = null;
  while (Date.now() < deadline) {
    last = await labSsh(host, `cat ${q(file)} 2>/dev/null`);
    if (last.stdout.includes(text)) return last.stdout;
    await new Promise((r) => setTimeout(r, 500));
  }
  const tail = last ? last.stdout.split('\n').slice(-15).join('\n') : '';
  throw new Error(`"${text}" did not appear in ${file} on lab host ${host} within ${timeoutMs} ms; last lines:\n${tail}`);
}

/** XML escaping for values put into domain XML. */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');
}

/**
 * A minimal TCG domain that boots the lab's guest fixture by direct kernel boot, with the
 * serial console written to `serialLog` (append='on': a migration's destination QEMU must not
 * truncate it). Name it novalite-* or nl-*: libvirt-lab.sh stop removes those.
 */
export function fixtureDomainXml(opts: {
  name: string;
  uuid: string;
  serialLog: string;
  kernel?: string;
  initrd?: string;
  cmdline?: string;
  memoryMiB?: number;
}): string {
  const lab = labEnv();
  const kernel = opts.kernel ?? lab?.kernel;
  const initrd = opts.initrd ?? lab?.initrd;
  if (!kernel || !initrd) throw new Error('fixtureDomainXml: no kernel/initrd (is the lab running?)');
  const cmdline = opts.cmdline ?? lab?.cmdline ?? 'console=ttyS0 panic=-1';
  const e = xmlEscape;
  return `<domain type='qemu'>
  <name>${e(opts.name)}</name>
  <uuid>${e(opts.uuid)}</uuid>
  <memory unit='MiB'>${opts.memoryMiB ?? 128}</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>${e(kernel)}</kernel>
    <initrd>${e(initrd)}</initrd>
    <cmdline>${e(cmdline)}</cmdline>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <serial type='file'>
      <source path='${e(opts.serialLog)}' append='on'/>
      <target port='0'/>
    </serial>
    <console type='file'>
      <source path='${e(opts.serialLog)}' append='on'/>
      <target type='serial' port='0'/>
    </console>
    <memballoon model='none'/>
  </devices>
</domain>
`;
}
