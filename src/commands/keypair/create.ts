import { Args, Flags } from '@oclif/core';
import { projectFlag } from '../_flags';
import { BaseCommand } from '../_base';
import { KEYPAIR_TYPES } from '../../lib/services/keypairs';
import { keypairView, KeypairView } from '../../lib/views/keypairs';
import { keypairDetail } from './_table';

interface Result { keypair: KeypairView }

export default class KeypairCreate extends BaseCommand<typeof KeypairCreate> {
  static override description = [
    'Create a key pair. Without --public-key one is generated (ed25519 for ssh, an RSA certificate for x509) and its private key',
    'is printed once (`private_key` in --json) or written to a new --private-key FILE with mode 0600; it is not kept anywhere.',
    'Exit 2 for an invalid name or public key, 4 when the name is taken or FILE exists.',
  ].join(' ');
  static override examples = [
    '<%= config.bin %> keypair create mykey --private-key ~/.ssh/mykey',
    '<%= config.bin %> keypair create laptop --public-key ~/.ssh/id_ed25519.pub',
    '<%= config.bin %> keypair create ci-42 --json | jq -r .keypair.private_key > key.pem',
  ];
  static override args = { name: Args.string({ description: 'Key pair name: letters, digits, spaces, _ - . @ (at most 255).', required: true }) };
  static override flags = {
    project: projectFlag,
    type: Flags.string({ description: 'Key pair type.', options: [...KEYPAIR_TYPES], default: 'ssh' }),
    'public-key': Flags.string({ description: 'Import this public key file (OpenSSH format; a PEM certificate with --type x509).', exclusive: ['private-key'] }),
    'private-key': Flags.string({ description: 'Write the generated private key to this new file (mode 0600).', exclusive: ['public-key'] }),
  };

  protected async execute(): Promise<{ keypair: KeypairView }> {
    const project = await this.ctx.projects.resolve(this.flags.project);
    const r = await this.ctx.keypairs.create({
      name: this.args.name, userId: this.ctx.actor.userId, projectId: project.id, type: this.flags.type as 'ssh' | 'x509',
      publicKeyFile: this.flags['public-key'], privateKeyFile: this.flags['private-key'],
    });
    return { keypair: keypairView(r.keypair, r.privateKey) };
  }

  protected override renderHuman(r: Result): void {
    if (r.keypair.private_key) {
      this.log(r.keypair.private_key.trimEnd());
      this.warnLine('Save this private key now: novalite does not keep it.');
      return;
    }
    this.log(keypairDetail(r.keypair));
    if (this.flags['private-key']) this.warnLine(`Private key written to ${this.flags['private-key']} (mode 0600).`);
  }
}
