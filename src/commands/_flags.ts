/** Flags shared by every command (baseFlags) and small flag helpers. */
import { Flags } from '@oclif/core';
import { InvalidInputError } from '../lib/errors';

export const globalFlags = {
  json: Flags.boolean({ description: 'Print exactly one JSON document on stdout.', helpGroup: 'GLOBAL' }),
  'config-file': Flags.string({ description: 'Configuration file (default: $NOVALITE_CONFIG_FILE, /etc/novalite/novalite.conf, $XDG_CONFIG_HOME/novalite/novalite.conf).', helpGroup: 'GLOBAL' }),
  yes: Flags.boolean({ char: 'y', description: 'Answer yes to every confirmation; never prompt.', helpGroup: 'GLOBAL' }),
  verbose: Flags.boolean({ description: 'Show more detail, and stack traces for bugs.', helpGroup: 'GLOBAL' }),
  debug: Flags.boolean({ description: 'Same as --verbose.', helpGroup: 'GLOBAL', hidden: true }),
};

/** A date flag that accepts ISO-8601 (`2026-11-01`, `2026-11-01T10:00:00Z`). */
export const dateFlag = Flags.custom<Date>({
  parse: async (input: string) => {
    const d = new Date(input);
    if (Number.isNaN(d.getTime())) throw new InvalidInputError(`Expected a date such as 2026-11-01 or 2026-11-01T10:00:00Z, got ${JSON.stringify(input)}.`);
    return d;
  },
});

/** The project a command acts on (as admin); the CLI's default is the `admin` project. */
export const projectFlag = Flags.string({ description: 'Project (name or id) to act on.', default: 'admin' });
