import { BaseCommand } from '../_base';
import { serverView, ServerView } from '../../lib/views/servers';
import { projectFlag, projectId, serverArg } from './_flags';

export default class ServerUnlock extends BaseCommand<typeof ServerUnlock> {
  static override description = 'Unlock a locked server (unlocking an unlocked one is not an error).';
  static override examples = ['<%= config.bin %> server unlock web1', '<%= config.bin %> server unlock 8e1c… --project demo --json'];
  static override args = { ...serverArg };
  static override flags = { ...projectFlag };

  protected async execute(): Promise<{ server: ServerView }> {
    const project = await projectId(this.ctx, this.flags.project);
    return { server: serverView(await this.ctx.serverActions.unlock(this.args.server, project, this.ctx.actor.userId)) };
  }

  protected override renderHuman(r: { server: ServerView }): void {
    this.log(`Unlocked server ${r.server.name} (${r.server.id}).`);
  }
}
