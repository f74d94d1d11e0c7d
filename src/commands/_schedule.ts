/** Flags and request building shared by `schedule explain` and `capacity`. */
import { Flags } from '@oclif/core';
import type { Context } from '../lib/context';
import { InvalidInputError } from '../lib/errors';
import type { ScheduleInput } from '../lib/services/scheduling';

export const requestFlags = {
  flavor: Flags.string({ description: 'Flavor (id or name).', required: true }),
  az: Flags.string({ description: 'Availability zone to schedule into.', aliases: ['availability-zone'] }),
  hint: Flags.string({ description: 'Scheduler hint KEY=VALUE (repeatable; repeating a key makes a list).', multiple: true }),
  group: Flags.string({ description: 'Server group (name or uuid) the server would join.' }),
};

export function parseHints(pairs: string[] | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const p of pairs ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new InvalidInputError(`--hint ${JSON.stringify(p)} is not KEY=VALUE.`, { hint: 'Write --hint same_host=UUID.' });
    const k = p.slice(0, eq);
    const v = p.slice(eq + 1);
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

export async function scheduleInput(ctx: Context, f: { flavor: string; az?: string; hint?: string[]; group?: string }): Promise<ScheduleInput> {
  return {
    flavor: await ctx.flavors.get(f.flavor),
    availabilityZone: f.az ?? null,
    hints: parseHints(f.hint),
    group: f.group ? await ctx.serverGroups.get(f.group) : null,
    ...(await ctx.whoami()),
  };
}
