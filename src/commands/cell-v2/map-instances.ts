import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';

export default class CellV2MapInstances extends BaseCommand<typeof CellV2MapInstances> {
  static override description = 'Create instance mappings for servers of a cell that have none. Resumable: each run skips mapped servers.';
  static override aliases = ['cell_v2:map_instances'];
  static override examples = ['<%= config.bin %> cell-v2 map-instances --cell-uuid cell1 --max-count 1000'];
  static override flags = {
    'cell-uuid': Flags.string({ description: 'UUID (or name) of the cell.', required: true }),
    'max-count': Flags.integer({ description: 'Map at most N servers in this run.', default: 50 }),
    reset: Flags.boolean({ description: 'Accepted for nova-manage compatibility: every run already starts from the beginning.' }),
  };

  protected async execute() {
    return this.ctx.cells.mapInstances(this.flags['cell-uuid'], this.flags['max-count']);
  }

  protected override renderHuman(r: { mapped: number; remaining: boolean }): void {
    this.log(`Mapped ${r.mapped} server(s).${r.remaining ? ' More remain: run again.' : ' All servers are mapped.'}`);
  }
}
