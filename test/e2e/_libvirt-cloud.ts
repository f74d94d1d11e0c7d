/**
 * A novalite cloud over the lab's two real libvirt hosts (scripts/ci/libvirt-lab.sh): fresh
 * SQLite databases, both hosts registered over SSH, the lab's kernel and busybox initramfs as
 * kernel and ramdisk images, and a root image that boots with them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, setupEnv, type CliResult } from '../helpers/cli';
import { describeLab as labDescribe } from '../helpers/lab';

export interface Lab {
  key: string; state: string; script: string;
  hosts: Array<{ addr: string; port: number; migration: string; hostKeyPub: string }>;
  kernel: string; initrd: string; cmdline: string;
}

export function lab(): Lab | null {
  const e = process.env;
  if (!e.NOVALITE_LAB_KEY || !e.NOVALITE_LAB_HOST1_ADDR) return null;
  const host = (n: 1 | 2) => ({
    addr: e[`NOVALITE_LAB_HOST${n}_ADDR`] as string, port: Number(e[`NOVALITE_LAB_HOST${n}_PORT`]),
    migration: e[`NOVALITE_LAB_HOST${n}_MIGRATION_ADDR`] as string, hostKeyPub: e[`NOVALITE_LAB_HOST${n}_HOSTKEY_PUB`] as string,
  });
  return {
    key: e.NOVALITE_LAB_KEY, state: e.NOVALITE_LAB_STATE as string, script: e.NOVALITE_LAB_SCRIPT as string,
    hosts: [host(1), host(2)], kernel: e.NOVALITE_LAB_KERNEL as string, initrd: e.NOVALITE_LAB_INITRD as string,
    cmdline: e.NOVALITE_LAB_CMDLINE || 'console=ttyS0 panic=-1',
  };
}

/** The lab's own describeLab decides run, skip (outside CI only) or fail (CI without the lab). */
export function describeLab(name: string, fn: (l: Lab) => void): void {
  labDescribe(name, () => fn(lab() as Lab));
}

/** Runs a command on a lab host through the system ssh client (not novalite's transport). */
export function onHost(l: Lab, n: 1 | 2, command: string): { code: number; stdout: string; stderr: string } {
  const h = l.hosts[n - 1];
  const r = spawnSync('ssh', ['-i', l.key, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes',
    '-o', 'LogLevel=ERROR', '-p', String(h.port), `root@${h.addr}`, command], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

export function labScript(l: Lab, sub: string, ...args: string[]): void {
  execFileSync('bash', [l.script, sub, l.state, ...args], { stdio: 'pipe', timeout: 120_000 });
}

export function fingerprintOf(pubFile: string): string {
  return execFileSync('ssh-keygen', ['-lf', pubFile], { encoding: 'utf8' }).split(/\s+/)[1];
}

export async function ok(argv: string[], env: Record<string, string>): Promise<CliResult> {
  const r = await runCli([...argv, '--json'], env);
  if (r.code !== 0) throw new Error(`novalite ${argv.join(' ')} exited ${r.code}: ${r.stdout}${r.stderr}`);
  return r;
}

export interface Cloud { env: Record<string, string>; image: string; flavor: string }

/** h1 prefers (more RAM as registered), so the scheduler tries it first; h2 is the fallback. */
export async function libvirtCloud(l: Lab): Promise<Cloud> {
  const env = await setupEnv();
  const [h1, h2] = l.hosts;
  await ok(['host', 'add', 'h1', '--driver', 'libvirt', '--address', h1.addr, '--port', String(h1.port), '--key', l.key,
    '--host-key-fingerprint', fingerprintOf(h1.hostKeyPub), '--migration-address', h1.migration, '--shutdown-timeout', '20', '--memory-mb', '4096'], env);
  await ok(['host', 'add', 'h2', '--driver', 'libvirt', '--address', h2.addr, '--port', String(h2.port), '--key', l.key,
    '--accept-new-host-key', '--migration-address', h2.migration, '--shutdown-timeout', '20', '--memory-mb', '3072'], env);
  const k = JSON.parse((await ok(['image', 'create', 'lab-kernel', '--file', l.kernel, '--disk-format', 'aki', '--container-format', 'aki'], env)).stdout).image.id;
  const r = JSON.parse((await ok(['image', 'create', 'lab-initrd', '--file', l.initrd, '--disk-format', 'ari', '--container-format', 'ari'], env)).stdout).image.id;
  const disk = path.join(env.HOME, 'root.qcow2');
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '64M']);
  await ok(['image', 'create', 'lab-root', '--file', disk, '--disk-format', 'qcow2', '--property', `kernel_id=${k}`, '--property', `ramdisk_id=${r}`,
    '--property', `os_command_line=${l.cmdline}`], env);
  await ok(['flavor', 'create', 'tiny', '--vcpus', '1', '--ram', '128', '--disk', '1'], env);
  fs.mkdirSync(path.join(env.HOME, 'tmp'), { recursive: true });
  return { env, image: 'lab-root', flavor: 'tiny' };
}

/** Polls the server's console log until `marker` has appeared `times` times. */
export async function waitConsole(env: Record<string, string>, server: string, marker: string, times = 1, seconds = 90): Promise<string> {
  const until = Date.now() + seconds * 1000;
  let last = '';
  while (Date.now() < until) {
    const r = await runCli(['server', 'console-log', server, '--json'], env);
    last = r.json?.output ?? r.stdout;
    if (last.split(marker).length - 1 >= times) return last;
    await new Promise((res) => setTimeout(res, 1000));
  }
  throw new Error(`${marker} did not appear ${times}× in ${seconds}s; console ends with:\n${last.slice(-2000)}`);
}

export async function show(env: Record<string, string>, server: string): Promise<Record<string, any>> {
  return JSON.parse((await ok(['server', 'show', server], env)).stdout).server;
}

/** Domains and instance directories novalite made on a host. */
export function onHostState(l: Lab, n: 1 | 2): { domains: string[]; dirs: string[] } {
  const d = onHost(l, n, 'virsh -q -c qemu:///system list --all --name | grep ^novalite- || true');
  const f = onHost(l, n, 'ls -1 /var/lib/novalite/instances 2>/dev/null || true');
  return { domains: d.stdout.split('\n').filter(Boolean), dirs: f.stdout.split('\n').filter(Boolean) };
}
