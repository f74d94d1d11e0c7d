import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { cellView, CellView } from '../../lib/views/cells';

export default class CellV2UpdateCell extends BaseCommand<typeof CellV2UpdateCell> {
  static override description = 'Rename a cell, point it at another database, or disable/enable it.';
  static override aliases = ['cell_v2:update_cell'];
  static override examples = ['<%= config.bin %> cell-v2 update-cell --cell-uuid 5f0c… --disable', '<%= config.bin %> cell-v2 update-cell --cell-uuid cell2 --name east'];
  static override flags = {
    'cell-uuid': Flags.string({ description: 'UUID (or name) of the cell.', required: true }),
    name: Flags.string({ description: 'New name.' }),
    'database-connection': Flags.string({ description: 'New database URL.' }),
    'transport-url': Flags.string({ description: 'Accepted for nova-manage compatibility.', hidden: true }),
    disable: Flags.boolean({ description: 'Stop scheduling new servers to this cell.', exclusive: ['enable'] }),
    enable: Flags.boolean({ description: 'Schedule to this cell again.', exclusive: ['disable'] }),
  };

  protected async execute() {
    const f = this.flags;
    const cell = await this.ctx.cells.update(f['cell-uuid'], {
      name: f.name, databaseConnection: f['database-connection'], disabled: f.disable ? true : f.enable ? false : undefined,
    });
    return { cell: cellView(cell) };
  }

  protected override renderHuman(r: { cell: CellView }): void {
    this.log(`Updated cell ${r.cell.name} (${r.cell.uuid}).`);
  }
}
