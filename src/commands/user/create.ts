import { Args, Flags } from '@oclif/core';
import { password as askPassword } from '@inquirer/prompts';
import { BaseCommand } from '../_base';
import { InvalidInputError } from '../../lib/errors';
import { roleAssignmentView, RoleAssignmentView, userView, UserView } from '../../lib/views/identity';
import { assignmentsTable, roleFlag } from './_table';

type Result = { user: UserView; role_assignments: RoleAssignmentView[] };

export default class UserCreate extends BaseCommand<typeof UserCreate> {
  static override description = [
    'Create a user of the embedded Keystone (for `novalite serve --auth keystone` or `http_basic`), with a role on a project.',
    'The project is created when it does not exist. The password comes from --password, $NOVALITE_USER_PASSWORD, or a prompt',
    'on a terminal; it is stored as a salted scrypt hash and never printed. To bootstrap the cloud, create the admin user:',
    '`novalite user create admin --password … --project admin --role admin`. Exit 4 when the name is taken.',
  ].join(' ');
  static override examples = [
    '<%= config.bin %> user create admin --password s3cret --project admin --role admin',
    'NOVALITE_USER_PASSWORD=pw <%= config.bin %> user create alice --project acme --role member --json',
    '<%= config.bin %> user create bob --project acme --role reader   # asks for the password',
  ];
  static override args = { name: Args.string({ description: 'User name (unique).', required: true }) };
  static override flags = {
    password: Flags.string({ description: 'Password (default: $NOVALITE_USER_PASSWORD, or asked for on a terminal).', env: 'NOVALITE_USER_PASSWORD' }),
    project: Flags.string({ description: 'Project (name or id) to give the role on; created when missing.' }),
    role: roleFlag,
  };

  private async password(): Promise<string> {
    if (this.flags.password !== undefined) return this.flags.password;
    if (!this.interactive) throw new InvalidInputError('No password given.', { code: 'PASSWORD_REQUIRED', hint: 'Give --password or set NOVALITE_USER_PASSWORD.' });
    const first = await askPassword({ message: `Password for ${this.args.name}:`, mask: '*' });
    const again = await askPassword({ message: 'Repeat the password:', mask: '*' });
    if (first !== again) throw new InvalidInputError('The passwords do not match.', { code: 'PASSWORD_MISMATCH' });
    return first;
  }

  protected async execute(): Promise<Result> {
    const password = await this.password();
    const r = await this.ctx.identity.createUser({ name: this.args.name, password, project: this.flags.project, role: this.flags.role });
    return { user: userView(r.user), role_assignments: r.assignments.map(roleAssignmentView) };
  }

  protected override renderHuman(r: Result): void {
    this.log(`Created user ${r.user.name} (${r.user.id}).`);
    if (r.role_assignments.length) this.log(assignmentsTable(r.role_assignments));
    else this.log('It holds no role yet: give it one with `novalite role add`.');
  }
}
