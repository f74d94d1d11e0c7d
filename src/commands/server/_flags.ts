/** Flags and small helpers shared by the `server` commands. */
import { Args, Flags } from '@oclif/core';
import type { Context } from '../../lib/context';
import { InvalidInputError } from '../../lib/errors';
import type { Server } from '../../lib/model/servers';
import { floatFlag } from '../host/_flags';

export const projectFlag = {
  project: Flags.string({ description: 'Project (name or id) the server belongs to.', default: 'admin' }),
};

export const serverArg = { server: Args.string({ description: 'Server name or UUID.', required: true }) };

export const waitFlags = {
  wait: Flags.boolean({ description: 'Return only once the server reached its target state (exit 5/6 on ERROR, 8 on timeout).' }),
  timeout: floatFlag({ description: 'Seconds --wait waits at most.', default: 600 }),
};

/** The id of the project a command acts in (`admin` is created on first use). */
export async function projectId(ctx: Context, ref: string): Promise<string> {
  return (await ctx.projects.resolve(ref)).id;
}

export function checkTimeout(seconds: number): number {
  if (!(seconds > 0)) throw new InvalidInputError(`--timeout must be a positive number of seconds, got ${seconds}.`);
  return seconds;
}

/** The statuses users see (Nova's API status names); `server wait --status` accepts these. */
export const STATUSES = [
  'ACTIVE', 'BUILD', 'REBOOT', 'HARD_REBOOT', 'PASSWORD', 'REBUILD', 'MIGRATING', 'RESIZE', 'VERIFY_RESIZE', 'REVERT_RESIZE',
  'SHUTOFF', 'PAUSED', 'SUSPENDED', 'RESCUE', 'ERROR', 'DELETED', 'SOFT_DELETED', 'SHELVED', 'SHELVED_OFFLOADED',
];

export function parseStatuses(raw: string[]): string[] {
  const out = raw.flatMap((s) => s.split(',')).map((s) => s.trim().toUpperCase()).filter(Boolean);
  const bad = out.filter((s) => !STATUSES.includes(s));
  if (bad.length || !out.length) {
    throw new InvalidInputError(`Unknown status ${bad.map((b) => JSON.stringify(b)).join(', ') || '""'}.`, { hint: `Use one of ${STATUSES.join(', ')}.` });
  }
  return out;
}

/**
 * `--wait` after an action the CLI ran inline: the server is normally there already, so this
 * only turns an ERROR into exit 5/6 (with the fault) and confirms the target state.
 */
export async function waitFor(ctx: Context, s: Server, project: string, targets: string[], timeoutS: number): Promise<Server | null> {
  return ctx.serverActions.wait(s.uuid, project, targets, Math.max(timeoutS, 0.001));
}
