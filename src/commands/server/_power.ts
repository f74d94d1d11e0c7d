/** The power commands (stop, start, reboot, pause …): one shape, so one base class. */
import { BaseCommand } from '../_base';
import { serverView, ServerView } from '../../lib/views/servers';
import { checkTimeout, projectFlag, projectId, serverArg, waitFor, waitFlags } from './_flags';
import { serverDetail } from './_table';

/** The status each action ends in (what --wait waits for). */
export const POWER_TARGET: Record<string, string> = {
  stop: 'SHUTOFF', start: 'ACTIVE', reboot: 'ACTIVE', reboot_hard: 'ACTIVE', pause: 'PAUSED', unpause: 'ACTIVE', suspend: 'SUSPENDED', resume: 'ACTIVE',
};

export abstract class PowerCommand extends BaseCommand<typeof PowerCommand> {
  static override args = { ...serverArg };
  static override flags = { ...projectFlag, ...waitFlags };

  /** The ServerActionsService action this command runs. */
  protected abstract action(): string;

  protected async execute(): Promise<{ server: ServerView }> {
    const f = this.flags;
    if (f.wait) checkTimeout(f.timeout);
    const project = await projectId(this.ctx, f.project);
    const action = this.action();
    let s = await this.ctx.serverActions.power(this.args.server, project, action, this.ctx.actor.userId);
    if (f.wait) s = (await waitFor(this.ctx, s, project, [POWER_TARGET[action]], f.timeout))!;
    return { server: serverView(s) };
  }

  protected override renderHuman(r: { server: ServerView }): void {
    this.log(serverDetail(r.server));
  }
}

/** The description and examples of a power command, in one place. */
export function powerDoc(verb: string, what: string, extra: string[] = []) {
  return {
    description: `${what} Exit 4 (naming the states it needs) when the server's state does not allow it, or when it is locked.`,
    examples: [`<%= config.bin %> server ${verb} web1`, `<%= config.bin %> server ${verb} 8e1c… --project demo --wait --json`, ...extra],
  };
}
