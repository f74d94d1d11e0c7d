import { Args } from '@oclif/core';
import { confirm } from '@inquirer/prompts';
import { BaseCommand } from '../_base';
import { CancelledError } from '../../lib/errors';
import { serverGroupView, ServerGroupView } from '../../lib/views/server-groups';

export default class ServerGroupDelete extends BaseCommand<typeof ServerGroupDelete> {
  static override description = 'Delete a server group (by UUID or name). Its members keep running, without the policy.';
  static override examples = ['<%= config.bin %> server-group delete web', '<%= config.bin %> server-group delete 2f1d… --yes --json'];
  static override args = { group: Args.string({ description: 'Server group UUID or name.', required: true }) };

  protected async execute() {
    if (this.interactive && !(await confirm({ message: `Delete server group ${this.args.group}?`, default: false }))) {
      throw new CancelledError();
    }
    return { deleted: serverGroupView(await this.ctx.serverGroups.delete(this.args.group)) };
  }

  protected override renderHuman(r: { deleted: ServerGroupView }): void {
    this.log(`Deleted server group ${r.deleted.name} (${r.deleted.id}).`);
  }
}
