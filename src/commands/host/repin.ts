import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { InvalidInputError } from '../../lib/errors';
import { hostView, HostView } from '../../lib/views/hosts';

type Result = { host: HostView; previous_fingerprint: string | null; fingerprint: string };

export default class HostRepin extends BaseCommand<typeof HostRepin> {
  static override description = 'Pin the SSH host key a libvirt host offers now, after it was reinstalled. Check the new key out of band and pass its fingerprint; exit 6 when the host offers another one.';
  static override examples = [
    '<%= config.bin %> host repin kvm-1 --host-key-fingerprint SHA256:5GqjXq0pD9nP…',
    '<%= config.bin %> host repin lab --accept-new-host-key --json',
  ];
  static override args = { name: Args.string({ description: 'Host name.', required: true }) };
  static override flags = {
    'host-key-fingerprint': Flags.string({ description: 'The SHA256:… fingerprint the new key must have.' }),
    'accept-new-host-key': Flags.boolean({ description: 'Pin whatever key the host offers now.' }),
  };

  protected async execute(): Promise<Result> {
    const f = this.flags;
    if (!f['host-key-fingerprint'] && !f['accept-new-host-key']) {
      throw new InvalidInputError('Say which key to pin: --host-key-fingerprint SHA256:… or --accept-new-host-key.', { hint: 'On the host: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub' });
    }
    const r = await this.ctx.sshHosts.repin(this.args.name, { fingerprint: f['host-key-fingerprint'], acceptNewHostKey: f['accept-new-host-key'] });
    return { host: hostView(r.host), previous_fingerprint: r.previous, fingerprint: r.current };
  }

  protected override renderHuman(r: Result): void {
    this.log(r.previous_fingerprint === r.fingerprint
      ? `Host ${r.host.name} still offers the pinned key ${r.fingerprint}.`
      : `Host ${r.host.name}: pinned ${r.fingerprint} (was ${r.previous_fingerprint ?? 'none'}).`);
  }
}
