import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { serverView, ServerView } from '../../lib/views/servers';
import { projectFlag, projectId, serverArg } from './_flags';

export default class ServerLock extends BaseCommand<typeof ServerLock> {
  static override description = 'Lock a server: actions on it (stop, reboot, delete …) are refused with exit 4 until `server unlock`.';
  static override examples = ['<%= config.bin %> server lock web1', '<%= config.bin %> server lock web1 --reason "tax season" --json'];
  static override args = { ...serverArg };
  static override flags = { ...projectFlag, reason: Flags.string({ description: 'Why (at most 255 characters); shown as locked_reason.' }) };

  protected async execute(): Promise<{ server: ServerView }> {
    const project = await projectId(this.ctx, this.flags.project);
    return { server: serverView(await this.ctx.serverActions.lock(this.args.server, project, this.ctx.actor.userId, this.flags.reason)) };
  }

  protected override renderHuman(r: { server: ServerView }): void {
    this.log(`Locked server ${r.server.name} (${r.server.id})${r.server.locked_reason ? `: ${r.server.locked_reason}` : ''}.`);
  }
}
