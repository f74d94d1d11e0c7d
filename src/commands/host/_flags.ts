/** Flag helpers for the host, flavor and aggregate commands (could move to ../_flags.ts). */
import { Flags } from '@oclif/core';
import { isIP } from 'node:net';
import { InvalidInputError } from '../../lib/errors';

/** A decimal number flag (`--cpu-allocation-ratio 16.0`); ranges are the service's to check. */
export const floatFlag = Flags.custom<number>({
  parse: async (input: string) => {
    const n = Number(input);
    if (input.trim() === '' || !Number.isFinite(n)) throw new InvalidInputError(`Expected a number such as 1.5, got ${JSON.stringify(input)}.`);
    return n;
  },
});

/** An IPv4 or IPv6 address. */
export const ipFlag = Flags.custom<string>({
  parse: async (input: string) => {
    if (!isIP(input)) throw new InvalidInputError(`Expected an IPv4 or IPv6 address, got ${JSON.stringify(input)}.`);
    return input;
  },
});
