import { BaseCommand } from '../../_base';
import { table } from '../../_render';
import { instanceActionView } from '../../../lib/views/servers';
import { projectFlag, projectId, serverArg } from '../_flags';

type ActionView = ReturnType<typeof instanceActionView>;

export default class ServerEventList extends BaseCommand<typeof ServerEventList> {
  static override description = 'List the instance actions of a server (create, stop, reboot, delete …), newest first; deleted servers too.';
  static override examples = ['<%= config.bin %> server event list web1', '<%= config.bin %> server event list 8e1c… --json'];
  static override args = { ...serverArg };
  static override flags = { ...projectFlag };

  protected async execute(): Promise<{ instanceActions: ActionView[] }> {
    const project = await projectId(this.ctx, this.flags.project);
    return { instanceActions: (await this.ctx.serverActions.events(this.args.server, project)).map((a) => instanceActionView(a)) };
  }

  protected override renderHuman(r: { instanceActions: ActionView[] }): void {
    this.log(table(r.instanceActions, [
      { header: 'Request ID', get: (a) => a.request_id }, { header: 'Action', get: (a) => a.action },
      { header: 'Start Time', get: (a) => a.start_time }, { header: 'Updated At', get: (a) => a.updated_at }, { header: 'Message', get: (a) => a.message },
    ]));
  }
}
