import { BaseCommand } from '../_base';
import { cellView, CellView } from '../../lib/views/cells';
import { cellsTable } from './_table';

export default class CellV2SimpleCellSetup extends BaseCommand<typeof CellV2SimpleCellSetup> {
  static override description = 'Set up cells v2 in one step: map cell0, map cell1 on the [database] connection, and discover hosts.';
  static override aliases = ['cell_v2:simple_cell_setup'];
  static override examples = ['<%= config.bin %> api-db sync && <%= config.bin %> db sync && <%= config.bin %> cell-v2 simple-cell-setup'];

  protected async execute() {
    const r = await this.ctx.cells.simpleSetup();
    return {
      created: r.created,
      cells: r.cells.map((c) => cellView(c)),
      discovered_hosts: r.discovered.flatMap((d) => d.hosts),
    };
  }

  protected override renderHuman(r: { created: string[]; cells: CellView[]; discovered_hosts: string[] }): void {
    this.log(r.created.length ? `Mapped ${r.created.join(' and ')}.` : 'Cells were already set up.');
    if (r.discovered_hosts.length) this.log(`Discovered hosts: ${r.discovered_hosts.join(', ')}`);
    this.log(cellsTable(r.cells));
  }
}
