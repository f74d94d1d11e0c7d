import { Args } from '@oclif/core';
import { confirm } from '@inquirer/prompts';
import { BaseCommand } from '../_base';
import { CancelledError } from '../../lib/errors';
import { userView, UserView } from '../../lib/views/identity';

export default class UserDelete extends BaseCommand<typeof UserDelete> {
  static override description = 'Delete a user (by name or id) and every role it holds; its tokens stop working at once. Exit 3 when unknown.';
  static override examples = ['<%= config.bin %> user delete alice', '<%= config.bin %> user delete alice --yes --json'];
  static override args = { user: Args.string({ description: 'User name or id.', required: true }) };

  protected async execute(): Promise<{ deleted: UserView }> {
    if (this.interactive && !(await confirm({ message: `Delete user ${this.args.user}?`, default: false }))) throw new CancelledError();
    return { deleted: userView(await this.ctx.identity.deleteUser(this.args.user)) };
  }

  protected override renderHuman(r: { deleted: UserView }): void {
    this.log(`Deleted user ${r.deleted.name} (${r.deleted.id}).`);
  }
}
