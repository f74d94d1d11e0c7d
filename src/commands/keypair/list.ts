import { BaseCommand } from '../_base';
import { keypairListView, KeypairView } from '../../lib/views/keypairs';
import { keypairsTable, userFlag } from './_table';

export default class KeypairList extends BaseCommand<typeof KeypairList> {
  static override description = 'List the key pairs of a user (yours by default).';
  static override examples = ['<%= config.bin %> keypair list', '<%= config.bin %> keypair list --user alice --json'];
  static override flags = { user: userFlag };

  protected async execute() {
    return keypairListView(await this.ctx.keypairs.list(this.flags.user ?? this.ctx.actor.userId));
  }

  protected override renderHuman(r: { keypairs: Array<{ keypair: KeypairView }> }): void {
    this.log(r.keypairs.length ? keypairsTable(r.keypairs.map((k) => k.keypair)) : 'No key pairs. Create one with `novalite keypair create`.');
  }
}
