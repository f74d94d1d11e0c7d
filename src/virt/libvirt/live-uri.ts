/**
 * Live migration is driven from the controller: a local virsh opens both hosts' libvirtds over
 * SSH and tells them to move the domain, with the guest's memory and disk going straight from
 * host to host on the migration address. libvirt's ssh transport runs the OpenSSH client; it
 * gets a wrapper that pins each host's key in a private known_hosts file, so the hosts' keys
 * are checked exactly as the driver's own connections check them.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostError, NotSupportedError } from '../../lib/errors';
import type { LibvirtHostConfig } from './host-config';
import type { ExecResult } from './ssh/transport';
import { shq } from './ssh/quote';

export interface LocalCommand { file: string; args: string[]; files: Record<string, { data: string; mode: number }> }

function knownHostsLine(cfg: LibvirtHostConfig): string {
  const k = cfg.ssh.hostKey;
  if (!k) throw new HostError(`Host ${cfg.ssh.host} has no pinned host key; live migration will not connect to it.`, { code: 'HOST_KEY_UNKNOWN' });
  const name = cfg.ssh.port === 22 ? cfg.ssh.host : `[${cfg.ssh.host}]:${cfg.ssh.port}`;
  return `${name} ${k.type} ${k.base64}`;
}

export function sshUri(cfg: LibvirtHostConfig, wrapper: string): string {
  const q = new URLSearchParams({ keyfile: cfg.ssh.keyPath, command: wrapper, no_tty: '1' });
  const host = cfg.ssh.host.includes(':') ? `[${cfg.ssh.host}]` : cfg.ssh.host;
  return `qemu+ssh://${encodeURIComponent(cfg.ssh.user)}@${host}:${cfg.ssh.port}/system?${q.toString()}`;
}

/** The virsh invocation (no shell: an argument vector) and the files it needs. */
export function liveMigrationCommand(src: LibvirtHostConfig, dest: LibvirtHostConfig, domain: string, dir = '@DIR@'): LocalCommand {
  const wrapper = `${dir}/ssh`;
  const known = `${dir}/known_hosts`;
  const wrapperText = [
    '#!/bin/sh',
    `exec ssh -o UserKnownHostsFile=${shq(known)} -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=15 "$@"`,
    '',
  ].join('\n');
  const migrateHost = dest.migrationAddress.includes(':') ? `[${dest.migrationAddress}]` : dest.migrationAddress;
  return {
    file: 'virsh',
    args: ['-c', sshUri(src, wrapper), 'migrate', '--live', '--persistent', '--undefinesource', '--copy-storage-inc',
      domain, sshUri(dest, wrapper), `tcp://${migrateHost}`],
    files: {
      ssh: { data: wrapperText, mode: 0o700 },
      known_hosts: { data: `${knownHostsLine(src)}\n${knownHostsLine(dest)}\n`, mode: 0o600 },
    },
  };
}

/** Runs a LocalCommand with its files in a private temporary directory, removed afterwards. */
export function runLocal(cmd: LocalCommand, timeoutMs: number): Promise<ExecResult> {
  const dir = mkdtempSync(join(tmpdir(), 'novalite-migrate-'));
  // sshUri percent-encodes the placeholder inside its query string (`%40DIR%40`): replace that form too.
  const enc = (s: string) => new URLSearchParams({ x: s }).toString().slice(2);
  const sub = (s: string) => s.split('@DIR@').join(dir).split(enc('@DIR@')).join(enc(dir));
  try {
    for (const [name, f] of Object.entries(cmd.files)) writeFileSync(join(dir, name), sub(f.data), { mode: f.mode });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return new Promise<ExecResult>((resolve, reject) => {
    execFile(cmd.file, cmd.args.map(sub), { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true });
      const e = err as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean }) | null;
      if (e && e.code === 'ENOENT') {
        reject(new NotSupportedError('Live migration needs virsh on this machine (the controller).', { hint: 'Install libvirt-clients (apt-get install libvirt-clients).' }));
        return;
      }
      if (e?.killed) { reject(new HostError(`virsh migrate did not finish within ${Math.round(timeoutMs / 1000)} s.`, { code: 'LIVE_MIGRATION_TIMEOUT' })); return; }
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
