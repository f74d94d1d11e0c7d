/** An unknown command is a usage error (exit 2) that points at --help. */
import { Hook } from '@oclif/core';
import { InvalidInputError } from '../../lib/errors';

const hook: Hook<'command_not_found'> = async function (opts) {
  const shown = opts.id.replace(/:/g, ' ');
  const err = new InvalidInputError(`Unknown command "${shown}".`, {
    code: 'UNKNOWN_COMMAND', hint: 'Run `novalite --help` to see the commands.',
  });
  const json = opts.argv?.includes('--json');
  if (json) process.stdout.write(`${JSON.stringify({ error: err.toJSON() })}\n`);
  process.stderr.write(`Error: ${err.message}\n${err.hint}\n`);
  this.exit(2);
};

export default hook;
