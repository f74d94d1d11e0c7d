import { Flags } from '@oclif/core';
import { confirm } from '@inquirer/prompts';
import { BaseCommand } from '../_base';
import { CancelledError } from '../../lib/errors';
import { cellView, CellView } from '../../lib/views/cells';

export default class CellV2DeleteCell extends BaseCommand<typeof CellV2DeleteCell> {
  static override description = 'Remove a cell mapping. Refused (exit 4) while it has hosts or instances, unless --force removes their mappings too.';
  static override aliases = ['cell_v2:delete_cell'];
  static override examples = ['<%= config.bin %> cell-v2 delete-cell --cell-uuid 5f0c…', '<%= config.bin %> cell-v2 delete-cell --cell-uuid cell2 --force --yes'];
  static override flags = {
    'cell-uuid': Flags.string({ description: 'UUID (or name) of the cell.', required: true }),
    force: Flags.boolean({ description: 'Also delete its host and instance mappings (never its servers).' }),
  };

  protected async execute() {
    if (this.interactive && !(await confirm({ message: `Delete cell ${this.flags['cell-uuid']}?`, default: false }))) {
      throw new CancelledError();
    }
    return { deleted: cellView(await this.ctx.cells.delete(this.flags['cell-uuid'], this.flags.force)) };
  }

  protected override renderHuman(r: { deleted: CellView }): void {
    this.log(`Deleted cell ${r.deleted.name} (${r.deleted.uuid}).`);
  }
}
