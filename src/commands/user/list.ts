import { BaseCommand } from '../_base';
import { userView, UserView } from '../../lib/views/identity';
import { usersTable } from './_table';

export default class UserList extends BaseCommand<typeof UserList> {
  static override description = 'List the users of the embedded Keystone (their roles: `novalite role list`).';
  static override examples = ['<%= config.bin %> user list', '<%= config.bin %> user list --json'];

  protected async execute(): Promise<{ users: UserView[] }> {
    return { users: (await this.ctx.identity.listUsers()).map(userView) };
  }

  protected override renderHuman(r: { users: UserView[] }): void {
    this.log(r.users.length ? usersTable(r.users) : 'No users. Create the admin user with `novalite user create admin --project admin --role admin`.');
  }
}
