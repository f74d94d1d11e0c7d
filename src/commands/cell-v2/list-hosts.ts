import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { table } from '../_render';
import { hostMappingView } from '../../lib/views/cells';

type Result = { hosts: ReturnType<typeof hostMappingView>[] };

export default class CellV2ListHosts extends BaseCommand<typeof CellV2ListHosts> {
  static override description = 'List the hosts mapped to cells.';
  static override aliases = ['cell_v2:list_hosts'];
  static override examples = ['<%= config.bin %> cell-v2 list-hosts', '<%= config.bin %> cell-v2 list-hosts --cell-uuid cell1 --json'];
  static override flags = { 'cell-uuid': Flags.string({ description: 'Only this cell (UUID or name).' }) };

  protected async execute(): Promise<Result> {
    return { hosts: (await this.ctx.cells.listHosts(this.flags['cell-uuid'])).map(hostMappingView) };
  }

  protected override renderHuman(r: Result): void {
    this.log(table(r.hosts, [{ header: 'Cell Name', get: (h) => h.cell_name }, { header: 'Cell UUID', get: (h) => h.cell_uuid }, { header: 'Hostname', get: (h) => h.host }]));
  }
}
