import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';

export default class CellV2VerifyInstance extends BaseCommand<typeof CellV2VerifyInstance> {
  static override description = 'Check that a server is mapped to a cell and exists there (exit 3 when not).';
  static override aliases = ['cell_v2:verify_instance'];
  static override examples = ['<%= config.bin %> cell-v2 verify-instance --uuid 8e1c…'];
  static override flags = {
    uuid: Flags.string({ description: 'Server UUID.', required: true }),
    quiet: Flags.boolean({ description: 'Print nothing; only the exit code tells.' }),
  };

  protected async execute() {
    const r = await this.ctx.cells.verifyInstance(this.flags.uuid);
    return { uuid: r.uuid, cell_uuid: r.cell.uuid, cell_name: r.cell.name };
  }

  protected override renderHuman(r: { uuid: string; cell_name: string | null; cell_uuid: string }): void {
    if (!this.flags.quiet) this.log(`Instance ${r.uuid} is in cell ${r.cell_name} (${r.cell_uuid}).`);
  }
}
