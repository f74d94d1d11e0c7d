import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';

export default class CellV2DeleteHost extends BaseCommand<typeof CellV2DeleteHost> {
  static override description = 'Remove a host mapping. Refused (exit 4) while the host has servers.';
  static override aliases = ['cell_v2:delete_host'];
  static override examples = ['<%= config.bin %> cell-v2 delete-host --cell-uuid cell1 --host compute-7'];
  static override flags = {
    'cell-uuid': Flags.string({ description: 'UUID (or name) of the cell.', required: true }),
    host: Flags.string({ description: 'Host name.', required: true }),
  };

  protected async execute() {
    await this.ctx.cells.deleteHost(this.flags['cell-uuid'], this.flags.host);
    return { deleted: { host: this.flags.host, cell: this.flags['cell-uuid'] } };
  }

  protected override renderHuman(): void {
    this.log(`Deleted host mapping ${this.flags.host}.`);
  }
}
