import { Args } from '@oclif/core';
import { BaseCommand } from '../_base';
import { hostView, HostView } from '../../lib/views/hosts';

export default class HostEnable extends BaseCommand<typeof HostEnable> {
  static override description = 'Enable a compute host: the scheduler places new servers on it again.';
  static override examples = ['<%= config.bin %> host enable compute-1', '<%= config.bin %> host enable compute-1 --json'];
  static override args = { name: Args.string({ description: 'Host name.', required: true }) };

  protected async execute() {
    await this.ctx.hosts.setEnabled(this.args.name, true);
    // Enabling also clears a forced-down mark: the host is back in service.
    return { host: hostView(await this.ctx.hosts.setForcedDown(this.args.name, false)) };
  }

  protected override renderHuman(r: { host: HostView }): void {
    this.log(`Enabled host ${r.host.name}.`);
  }
}
