import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { hostView, HostView } from '../../lib/views/hosts';
import { hostsTable } from './_table';

export default class HostList extends BaseCommand<typeof HostList> {
  static override description = 'List the registered compute hosts with their usage, state (up/down) and status (enabled/disabled).';
  static override examples = ['<%= config.bin %> host list', '<%= config.bin %> host list --cell cell1 --long', '<%= config.bin %> host list --json'];
  static override flags = {
    cell: Flags.string({ description: 'Only hosts of this cell (name or UUID).' }),
    long: Flags.boolean({ description: 'More columns: servers, driver, IP, allocation ratios, disabled reason, ID.' }),
  };

  protected async execute() {
    return { hosts: (await this.ctx.hosts.list({ cell: this.flags.cell })).map(hostView) };
  }

  protected override renderHuman(r: { hosts: HostView[] }): void {
    this.log(r.hosts.length ? hostsTable(r.hosts, this.flags.long) : 'No hosts. Add one with `novalite host add`.');
  }
}
