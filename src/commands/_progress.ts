/**
 * Progress for multi-step work: listr2 on a terminal (drawn on stderr), one plain line per step
 * otherwise, nothing at all with --json. Steps run in order and the first failure stops them.
 */
import { Listr } from 'listr2';

export interface Step { title: string; run: () => Promise<string | void> }

export async function runSteps(steps: Step[], mode: { tty: boolean; quiet: boolean }): Promise<void> {
  if (mode.quiet) {
    for (const s of steps) await s.run();
    return;
  }
  if (!mode.tty) {
    for (const s of steps) {
      const note = await s.run();
      process.stderr.write(`${s.title}: ${note || 'done'}\n`);
    }
    return;
  }
  const list = new Listr(steps.map((s) => ({
    title: s.title,
    task: async (_c: unknown, task: { title: string }) => {
      const note = await s.run();
      if (note) task.title = `${s.title}: ${note}`;
    },
  })), { concurrent: false, exitOnError: true, rendererOptions: { collapseErrors: false }, registerSignalListeners: false });
  await list.run();
}
