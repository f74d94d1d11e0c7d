/** Prompts for the server commands: Ctrl-C at a prompt is a cancellation (exit 130), not a bug. */
import { confirm, select } from '@inquirer/prompts';
import { CancelledError } from '../../lib/errors';

async function cancellable<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if ((e as Error)?.name === 'ExitPromptError' || (e as Error)?.name === 'AbortPromptError') throw new CancelledError();
    throw e;
  }
}

export const ask = {
  select: <T>(config: Parameters<typeof select<T>>[0]): Promise<T> => cancellable(select<T>(config)),
  confirm: (config: Parameters<typeof confirm>[0]): Promise<boolean> => cancellable(confirm(config)),
};
