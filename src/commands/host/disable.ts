import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { hostView, HostView } from '../../lib/views/hosts';

export default class HostDisable extends BaseCommand<typeof HostDisable> {
  static override description = 'Disable a compute host: the scheduler places no new servers on it; its servers keep running.';
  static override examples = ['<%= config.bin %> host disable compute-1 --reason "disk replacement"', '<%= config.bin %> host disable compute-1 --json', '<%= config.bin %> host disable compute-1 --force-down --reason "power supply died"'];
  static override args = { name: Args.string({ description: 'Host name.', required: true }) };
  static override flags = {
    reason: Flags.string({ description: 'Why, shown in `host list --long` and `host show`.' }),
    'force-down': Flags.boolean({ description: 'Also mark it down (its servers can then be evacuated); `host enable` clears it.' }),
  };

  protected async execute() {
    const h = await this.ctx.hosts.setEnabled(this.args.name, false, this.flags.reason);
    return { host: hostView(this.flags['force-down'] ? await this.ctx.hosts.setForcedDown(this.args.name, true) : h) };
  }

  protected override renderHuman(r: { host: HostView }): void {
    this.log(`Disabled host ${r.host.name}${r.host.disabled_reason ? ` (${r.host.disabled_reason})` : ''}.`);
  }
}
