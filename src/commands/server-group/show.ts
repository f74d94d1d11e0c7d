import { Args } from '@oclif/core';
import { BaseCommand } from '../_base';
import { serverGroupView, ServerGroupView } from '../../lib/views/server-groups';
import { serverGroupDetail } from './_table';

export default class ServerGroupShow extends BaseCommand<typeof ServerGroupShow> {
  static override description = 'Show a server group (by UUID or name): policy, rules and members. Exit 3 when unknown.';
  static override examples = ['<%= config.bin %> server-group show web', '<%= config.bin %> server-group show 2f1d… --json'];
  static override args = { group: Args.string({ description: 'Server group UUID or name.', required: true }) };

  protected async execute() {
    return { server_group: serverGroupView(await this.ctx.serverGroups.get(this.args.group)) };
  }

  protected override renderHuman(r: { server_group: ServerGroupView }): void {
    this.log(serverGroupDetail(r.server_group));
  }
}
