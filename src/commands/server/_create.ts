/** `server create`: its flags, the prompts for what is missing, and the request it builds. */
import { Flags } from '@oclif/core';
import { readFileSync } from 'node:fs';
import type { Context } from '../../lib/context';
import { InvalidInputError, TimeoutError } from '../../lib/errors';
import type { CreateServer } from '../../lib/services/servers';
import type { ScheduleInput } from '../../lib/services/scheduling';
import { instanceActionView } from '../../lib/views/servers';
import { parseHints } from '../_schedule';
import { ask } from './_prompt';

export const createFlags = {
  flavor: Flags.string({ description: 'Flavor (id or name). Asked for on a terminal when missing; required otherwise.' }),
  image: Flags.string({ description: 'Image (id or name). Asked for on a terminal when missing.' }),
  'key-name': Flags.string({ description: 'Keypair to inject.' }),
  'user-data': Flags.string({ description: 'File with user data (cloud-init), read as UTF-8.' }),
  property: Flags.string({ description: 'Metadata KEY=VALUE (repeatable).', multiple: true }),
  'availability-zone': Flags.string({ description: 'Availability zone to build in.', aliases: ['az'] }),
  host: Flags.string({ description: 'Build on this host (admin).' }),
  hint: Flags.string({ description: 'Scheduler hint KEY=VALUE (repeatable; repeating a key makes a list).', multiple: true }),
  group: Flags.string({ description: 'Server group (name or uuid) to join.' }),
  min: Flags.integer({ description: 'Build at least this many servers (all or nothing below it).' }),
  max: Flags.integer({ description: 'Build at most this many servers (named NAME-1, NAME-2 …).' }),
  'config-drive': Flags.boolean({ description: 'Attach a config drive.' }),
  network: Flags.string({ description: 'auto, none or a network name.' }),
  description: Flags.string({ description: 'Free-form description.' }),
  'dry-run': Flags.boolean({ description: 'Only explain where it would be scheduled (exit 0 when a host fits, 5 when none does); create nothing.' }),
  'idempotency-key': Flags.string({ description: 'Return the server created earlier with this key in the project instead of a twin.' }),
  'if-not-exists': Flags.boolean({ description: 'Return the existing server of this name in the project instead of creating one.' }),
};

type F = { [K in keyof typeof createFlags]?: unknown } & { flavor?: string; image?: string; 'user-data'?: string; hint?: string[] };

/** On a terminal, asks for the flavor and image when they were not given; without one, --flavor is required. */
export async function promptMissing(ctx: Context, f: F, interactive: boolean, projectId: string): Promise<{ flavor: string; image: string | null }> {
  let flavor = f.flavor;
  let image: string | null = f.image ?? null;
  if (!flavor && !interactive) throw new InvalidInputError('Missing required flag --flavor.', { code: 'USAGE', hint: 'Pass --flavor NAME (see `novalite flavor list`).' });
  if (!flavor) {
    const flavors = await ctx.flavors.list({ projectId });
    if (!flavors.length) throw new InvalidInputError('There are no flavors to choose from.', { hint: 'Create one with `novalite flavor create`.' });
    flavor = await ask.select<string>({ message: 'Flavor', choices: flavors.map((x) => ({ name: `${x.name} (${x.vcpus} vCPU, ${x.memoryMb} MB, ${x.rootGb} GB)`, value: x.flavorid })) });
  }
  if (!image && interactive) {
    const images = await ctx.images.list({ projectId });
    if (images.length) {
      image = await ask.select<string | null>({ message: 'Image', choices: [...images.map((x) => ({ name: `${x.name} (${x.diskFormat})`, value: x.id as string | null })), { name: '(none)', value: null }] });
    }
  }
  return { flavor, image };
}

export function readUserData(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new InvalidInputError(`Cannot read --user-data ${JSON.stringify(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
}

/** The scheduler request `--dry-run` explains, built as create would build it. */
export async function dryRunInput(ctx: Context, c: CreateServer, projectId: string): Promise<ScheduleInput> {
  const image = c.image ? await ctx.images.get(c.image, projectId) : null;
  return {
    flavor: await ctx.flavors.get(c.flavor), image: image ? { id: image.id, properties: image.properties } : null,
    availabilityZone: c.availabilityZone ?? null, hints: c.hints ?? {}, group: c.group ? await ctx.serverGroups.get(c.group, projectId) : null,
    projectId, userId: c.userId, host: c.host,
  };
}

export function hintsOf(f: F): Record<string, string | string[]> { return parseHints(f.hint); }

/** Exit 8 while the build still runs: what it is doing now, and which servers it is building. */
export async function buildTimeout(ctx: Context, name: string, projectId: string, seconds: number, step: string): Promise<TimeoutError> {
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const building = await ctx.servers.list({ project: projectId, name: `^${esc}(-\\d+)?$`, status: 'BUILD' }).catch(() => []);
  const last = building[0] ? (await ctx.serverActions.events(building[0].uuid, projectId).catch(() => []))[0] : undefined;
  const ev = last?.events[last.events.length - 1];
  return new TimeoutError(`Timed out after ${seconds} s waiting for server ${name} to be ACTIVE; it is BUILD (${step}).`, {
    hint: `${ev ? `Last event: ${last!.action} / ${ev.event} ${ev.result ?? 'in progress'}. ` : ''}This process finishes the build before it exits (interrupting it leaves the server to be recovered after [conductor] task_lease_seconds); then run \`novalite server show ${building[0]?.uuid ?? name}\`.`,
    details: { status: 'BUILD', step, servers: building.map((s) => s.uuid), last_action: last ? instanceActionView(last, true) : null },
  });
}
