/**
 * The rebuild/rescue/shelve/restore commands share one shape: look the project up, run the
 * action inline, and with --wait confirm the status it ends in (an ERROR is exit 5/6 with the
 * fault, a timeout exit 8).
 */
import type { Context } from '../../lib/context';
import type { Server } from '../../lib/model/servers';
import { serverView, ServerView } from '../../lib/views/servers';
import { checkTimeout, projectId, waitFor } from './_flags';

export async function actAndWait(ctx: Context, f: { project: string; wait?: boolean; timeout: number }, targets: string[],
  act: (project: string, userId: string) => Promise<Server>): Promise<{ server: ServerView }> {
  if (f.wait) checkTimeout(f.timeout);
  const project = await projectId(ctx, f.project);
  let s = await act(project, ctx.actor.userId);
  if (f.wait) s = (await waitFor(ctx, s, project, targets, f.timeout))!;
  return { server: serverView(s) };
}

/** The description and examples of one of these commands. */
export function rebuildDoc(verb: string, what: string, examples: string[] = []) {
  return {
    description: `${what} Exit 4 (naming the states it needs) when the server's state does not allow it, or when it is locked.`,
    examples: [`<%= config.bin %> server ${verb} web1`, ...examples.map((e) => `<%= config.bin %> server ${verb} ${e}`)],
  };
}
