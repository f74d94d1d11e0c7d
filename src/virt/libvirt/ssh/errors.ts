/**
 * What can go wrong talking to a host over SSH, as HostErrors (exit 6) with stable codes.
 * Messages name the host, the key file path and the command's first word only: a command line
 * can carry data (cloud-init, passwords), and stdin and key contents never appear anywhere.
 */
import { HostError } from '../../../lib/errors';

/** `virsh` for `virsh -q -c …`; skips leading VAR=value words, whose values may be secrets. */
export function commandName(command: string): string {
  let rest = command.trim();
  const assignment = /^[A-Za-z_][A-Za-z0-9_]*=(?:'[^']*'|"[^"]*"|\S)*\s+/;
  while (assignment.test(rest)) rest = rest.replace(assignment, '');
  const quoted = /^'([^']*)'|^"([^"]*)"/.exec(rest);
  const name = quoted ? (quoted[1] ?? quoted[2]) : rest.split(/\s+/)[0];
  if (name === '') return '(empty command)';
  return name.length > 40 ? `${name.slice(0, 40)}…` : name;
}

export class HostKeyChangedError extends HostError {
  constructor(readonly host: string, readonly pinned: string, readonly offered: string) {
    super(
      `The SSH host key of ${host} does not match the pinned one: pinned ${pinned}, offered ${offered}. ` +
        'Refusing to connect: the host was reinstalled, or someone is in the middle.',
      {
        code: 'HOST_KEY_CHANGED',
        hint:
          'If the host was reinstalled, check the new key out of band and run ' +
          `\`novalite host repin ${host} --host-key-fingerprint SHA256:…\`.`,
        details: { host, pinned, offered },
      },
    );
  }
}

export class HostKeyUnknownError extends HostError {
  constructor(readonly host: string, readonly offered: string) {
    super(`Host ${host} has no pinned SSH host key; it offers ${offered}. Refusing to trust it unconfirmed.`, {
      code: 'HOST_KEY_UNKNOWN',
      hint:
        'Check the fingerprint out of band (`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on the host) and pass ' +
        '`--host-key-fingerprint SHA256:…`, or pass `--accept-new-host-key` to trust it on first use.',
      details: { host, offered },
    });
  }
}

export class SshConnectError extends HostError {
  /** `target` is user@host:port; `reason` says why in a few words (auth refused, timeout …). */
  constructor(readonly target: string, readonly reason: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(`Cannot connect over SSH to ${target}: ${reason}.`, {
      code: 'SSH_CONNECT_FAILED',
      hint: opts.hint ?? 'Check that the host is up, sshd listens on that address and port, and the key is authorised.',
      details: { target, reason },
      cause: opts.cause,
    });
  }
}

/** The connection dropped after a command was sent: it may or may not have run. */
export class SshConnectionLostError extends HostError {
  constructor(readonly target: string, command: string) {
    super(`The SSH connection to ${target} was lost while running \`${commandName(command)}\`; it may or may not have run.`, {
      code: 'SSH_CONNECTION_LOST',
      hint: 'Check the host, then look at its state before retrying: the command is not retried automatically.',
      details: { target, command: commandName(command) },
    });
  }
}

export class SshCommandTimeout extends HostError {
  constructor(readonly target: string, command: string, readonly timeoutMs: number) {
    const name = commandName(command);
    super(`\`${name}\` on ${target} did not finish within ${formatMs(timeoutMs)}; it was killed.`, {
      code: 'SSH_COMMAND_TIMEOUT',
      hint: 'The host may be overloaded or the operation stuck; check the host, or retry with a longer timeout.',
      details: { target, command: name, timeoutMs },
    });
  }
}

/** An SFTP operation failed (permissions, disk full …) on a live connection. */
export class SshTransferError extends HostError {
  constructor(readonly target: string, op: string, remotePath: string, reason: string) {
    super(`SFTP ${op} of ${remotePath} on ${target} failed: ${reason}.`, {
      code: 'SSH_TRANSFER_FAILED',
      hint: 'Check that the directory exists, is writable by the SSH user and the disk is not full.',
      details: { target, op, path: remotePath, reason },
    });
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
