import { Args } from '@oclif/core';
import { BaseCommand } from '../../_base';
import { keyValues, table } from '../../_render';
import { instanceActionView } from '../../../lib/views/servers';
import { projectFlag, projectId, serverArg } from '../_flags';

type ActionView = ReturnType<typeof instanceActionView>;
type EventView = { event: string; start_time: string | null; finish_time: string | null; result: string | null; host: string | null; traceback: string | null };

export default class ServerEventShow extends BaseCommand<typeof ServerEventShow> {
  static override description = 'Show one instance action of a server (by its request ID) with its events. Exit 3 when unknown.';
  static override examples = ['<%= config.bin %> server event show web1 req-5b6f…', '<%= config.bin %> server event show 8e1c… req-5b6f… --json'];
  static override args = { ...serverArg, 'request-id': Args.string({ description: 'Request ID (from `server event list`).', required: true }) };
  static override flags = { ...projectFlag };

  protected async execute(): Promise<{ instanceAction: ActionView }> {
    const project = await projectId(this.ctx, this.flags.project);
    return { instanceAction: instanceActionView(await this.ctx.serverActions.event(this.args.server, project, this.args['request-id']), true) };
  }

  protected override renderHuman(r: { instanceAction: ActionView }): void {
    const { events, ...action } = r.instanceAction as ActionView & { events: EventView[] };
    this.log(keyValues(action));
    this.log('');
    this.log(table(events, [
      { header: 'Event', get: (e) => e.event }, { header: 'Result', get: (e) => e.result }, { header: 'Host', get: (e) => e.host },
      { header: 'Start Time', get: (e) => e.start_time }, { header: 'Finish Time', get: (e) => e.finish_time }, { header: 'Traceback', get: (e) => e.traceback },
    ]));
  }
}
