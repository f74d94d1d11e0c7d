import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { cellView, CellView } from '../../lib/views/cells';

export default class CellV2CreateCell extends BaseCommand<typeof CellV2CreateCell> {
  static override description = 'Map a new cell on its own database. Run `novalite db sync` afterwards to create its schema.';
  static override aliases = ['cell_v2:create_cell'];
  static override examples = ['<%= config.bin %> cell-v2 create-cell --name cell2 --database-connection postgresql://nova:pw@db/nova_cell2'];
  static override flags = {
    name: Flags.string({ description: 'Name of the cell.', required: true }),
    'database-connection': Flags.string({ description: 'URL of the cell database.', required: true }),
    'transport-url': Flags.string({ description: 'Accepted for nova-manage compatibility; novalite needs no message bus.', hidden: true }),
    disabled: Flags.boolean({ description: 'Create it disabled: the scheduler will not place new servers there.' }),
  };

  protected async execute() {
    const cell = await this.ctx.cells.create({
      name: this.flags.name, databaseConnection: this.flags['database-connection'],
      disabled: this.flags.disabled, transportUrl: this.flags['transport-url'],
    });
    return { cell: cellView(cell) };
  }

  protected override renderHuman(r: { cell: CellView }): void {
    this.log(`Created cell ${r.cell.name} (${r.cell.uuid}). Next: novalite db sync`);
  }
}
