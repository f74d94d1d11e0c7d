import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { serverView, ServerView } from '../../lib/views/servers';
import { projectFlag, projectId, serverArg } from './_flags';
import { serverDetail } from './_table';

export default class ServerResetState extends BaseCommand<typeof ServerResetState> {
  static override description = [
    'Admin: force a server\'s vm_state to error (or active with --active) and clear its task_state, whatever state and lock it has —',
    'the way out of a state an abandoned action left behind. Nothing is done on the host; the power state is kept.',
  ].join(' ');
  static override examples = ['<%= config.bin %> server reset-state web1', '<%= config.bin %> server reset-state web1 --active --json'];
  static override args = { ...serverArg };
  static override flags = {
    ...projectFlag,
    active: Flags.boolean({ description: 'Reset to active instead of error.' }),
  };

  protected async execute(): Promise<{ server: ServerView }> {
    const project = await projectId(this.ctx, this.flags.project);
    return { server: serverView(await this.ctx.serverRebuilds.resetState(this.args.server, project, { active: this.flags.active })) };
  }

  protected override renderHuman(r: { server: ServerView }): void {
    this.log(serverDetail(r.server));
  }
}
