import { Args } from '@oclif/core';
import { confirm } from '@inquirer/prompts';
import { BaseCommand } from '../_base';
import { CancelledError } from '../../lib/errors';
import { keypairView, KeypairView } from '../../lib/views/keypairs';
import { userFlag } from './_table';

export default class KeypairDelete extends BaseCommand<typeof KeypairDelete> {
  static override description = 'Delete a key pair by name (servers built with it keep their key). Exit 3 when unknown.';
  static override examples = ['<%= config.bin %> keypair delete mykey', '<%= config.bin %> keypair delete mykey --yes --json'];
  static override args = { name: Args.string({ description: 'Key pair name.', required: true }) };
  static override flags = { user: userFlag };

  protected async execute() {
    if (this.interactive && !(await confirm({ message: `Delete key pair ${this.args.name}?`, default: false }))) {
      throw new CancelledError();
    }
    return { deleted: keypairView(await this.ctx.keypairs.delete(this.args.name, this.flags.user ?? this.ctx.actor.userId)) };
  }

  protected override renderHuman(r: { deleted: KeypairView }): void {
    this.log(`Deleted key pair ${r.deleted.name} (${r.deleted.fingerprint}).`);
  }
}
