/** The move commands (resize, confirm, revert, migrate, live-migrate, evacuate): one shape, so one base class. */
import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import type { Server } from '../../lib/model/servers';
import { serverView, ServerView } from '../../lib/views/servers';
import { checkTimeout, projectFlag, projectId, serverArg, waitFor, waitFlags } from './_flags';
import { serverDetail, statusText } from './_table';

export const hostFlag = {
  host: Flags.string({ description: 'Destination host (checked by the scheduler: capacity, filters); default: the scheduler chooses.' }),
};

export abstract class MoveCommand extends BaseCommand<typeof MoveCommand> {
  static override args = { ...serverArg };
  static override flags = { ...projectFlag, ...waitFlags };

  /** Runs the move through the ServerMovesService (inline, to its end state). */
  protected abstract move(project: string): Promise<Server>;
  /** The statuses --wait accepts as done. */
  protected abstract targets(): string[];
  /** One line for people, before the server's details. */
  protected abstract summary(s: ServerView): string;

  protected async execute(): Promise<{ server: ServerView }> {
    const f = this.flags;
    if (f.wait) checkTimeout(f.timeout);
    const project = await projectId(this.ctx, f.project);
    let s = await this.move(project);
    if (f.wait) s = (await waitFor(this.ctx, s, project, this.targets(), f.timeout))!;
    return { server: serverView(s) };
  }

  protected override renderHuman(r: { server: ServerView }): void {
    this.log(`${this.summary(r.server)} Status: ${statusText(String(r.server.status))}.`);
    this.log(serverDetail(r.server));
  }
}

/** Description of a move command, with the exit codes every one of them shares. */
export function moveDescription(what: string): string {
  return `${what} Exit 3 for an unknown server, 4 when its state does not allow it (or it is locked), 6 when a host fails (the server is left as it was, with a fault).`;
}
