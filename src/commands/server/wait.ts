import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { floatFlag } from '../host/_flags';
import { serverView, ServerView } from '../../lib/views/servers';
import { checkTimeout, parseStatuses, projectFlag, projectId, serverArg, STATUSES } from './_flags';
import { statusText } from './_table';

export default class ServerWait extends BaseCommand<typeof ServerWait> {
  static override description = [
    'Wait until a server has one of the given statuses (DELETED: until it is gone). Exit 0 when it does, 5 or 6 with the fault when it',
    'goes to ERROR instead (unless ERROR is awaited), 8 on timeout with its current state and last instance-action event.',
  ].join(' ');
  static override examples = [
    '<%= config.bin %> server wait web1 --status ACTIVE',
    '<%= config.bin %> server wait web1 --status SHUTOFF --status ERROR --timeout 120 --json',
    '<%= config.bin %> server wait web1 --status DELETED',
  ];
  static override args = { ...serverArg };
  static override flags = {
    ...projectFlag,
    status: Flags.string({ description: `Status to wait for (repeatable, or comma-separated): ${STATUSES.join(', ')}.`, multiple: true, required: true }),
    timeout: floatFlag({ description: 'Seconds to wait at most.', default: 600 }),
  };

  protected async execute(): Promise<{ server: ServerView | null }> {
    const targets = parseStatuses(this.flags.status);
    const timeout = checkTimeout(this.flags.timeout);
    const project = await projectId(this.ctx, this.flags.project);
    const s = await this.ctx.serverActions.wait(this.args.server, project, targets, timeout);
    return { server: s ? serverView(s) : null };
  }

  protected override renderHuman(r: { server: ServerView | null }): void {
    this.log(r.server ? `Server ${r.server.name} (${r.server.id}) is ${statusText(String(r.server.status))}.` : `Server ${this.args.server} is deleted.`);
  }
}
