import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { keypairView, KeypairView } from '../../lib/views/keypairs';
import { keypairDetail, userFlag } from './_table';

export default class KeypairShow extends BaseCommand<typeof KeypairShow> {
  static override description = 'Show a key pair by name. Exit 3 when unknown.';
  static override examples = [
    '<%= config.bin %> keypair show mykey',
    '<%= config.bin %> keypair show mykey --public-key >> ~/.ssh/authorized_keys',
    '<%= config.bin %> keypair show mykey --json',
  ];
  static override args = { name: Args.string({ description: 'Key pair name.', required: true }) };
  static override flags = {
    'public-key': Flags.boolean({ description: 'Print only the public key.' }),
    user: userFlag,
  };

  protected async execute(): Promise<{ keypair: KeypairView }> {
    return { keypair: keypairView(await this.ctx.keypairs.get(this.args.name, this.flags.user ?? this.ctx.actor.userId)) };
  }

  protected override renderHuman(r: { keypair: KeypairView }): void {
    this.log(this.flags['public-key'] ? r.keypair.public_key.trimEnd() : keypairDetail(r.keypair));
  }
}
