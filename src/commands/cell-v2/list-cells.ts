import { BaseCommand } from '../_base';
import { cellView, CellView } from '../../lib/views/cells';
import { cellsTable } from './_table';

export default class CellV2ListCells extends BaseCommand<typeof CellV2ListCells> {
  static override description = 'List the mapped cells. Passwords in connection URLs are masked unless --verbose.';
  static override aliases = ['cell_v2:list_cells'];
  static override examples = ['<%= config.bin %> cell-v2 list-cells', '<%= config.bin %> cell-v2 list-cells --json'];

  protected async execute() {
    const cells = await this.ctx.cells.list();
    return { cells: cells.map((c) => cellView(c, { showSecrets: this.flags.verbose })) };
  }

  protected override renderHuman(r: { cells: CellView[] }): void {
    this.log(cellsTable(r.cells));
  }
}
