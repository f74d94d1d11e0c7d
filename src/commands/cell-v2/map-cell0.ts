import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { cellView, CellView } from '../../lib/views/cells';

export default class CellV2MapCell0 extends BaseCommand<typeof CellV2MapCell0> {
  static override description = 'Map cell0, the cell that holds servers that could not be scheduled. Its database defaults to the [database] connection with _cell0 appended.';
  static override aliases = ['cell_v2:map_cell0'];
  static override examples = ['<%= config.bin %> cell-v2 map-cell0', '<%= config.bin %> cell-v2 map-cell0 --database-connection postgresql://nova:pw@db/nova_cell0'];
  static override flags = { 'database-connection': Flags.string({ description: 'URL of the cell0 database.' }) };

  protected async execute() {
    const r = await this.ctx.cells.mapCell0(this.flags['database-connection']);
    return { created: r.created, cell: cellView(r.cell) };
  }

  protected override renderHuman(r: { created: boolean; cell: CellView }): void {
    this.log(r.created ? `Mapped cell0 to ${r.cell.database_connection}.` : 'cell0 is already mapped.');
  }
}
