import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';

type Result = { cells: Array<{ cell: string | null; uuid: string; hosts: string[] }> };

export default class CellV2DiscoverHosts extends BaseCommand<typeof CellV2DiscoverHosts> {
  static override description = 'Map compute hosts registered in the cells but not yet in the API database. --strict exits 3 when none is found.';
  static override aliases = ['cell_v2:discover_hosts'];
  static override examples = ['<%= config.bin %> cell-v2 discover-hosts --verbose', '<%= config.bin %> cell-v2 discover-hosts --cell-uuid cell1 --strict --json'];
  static override flags = {
    'cell-uuid': Flags.string({ description: 'Only this cell (UUID or name).' }),
    strict: Flags.boolean({ description: 'Fail (exit 3) when no new host is found.' }),
  };

  protected async execute(): Promise<Result> {
    const r = await this.ctx.cells.discoverHosts({ cellRef: this.flags['cell-uuid'], strict: this.flags.strict });
    return { cells: r.map((x) => ({ cell: x.cell.name, uuid: x.cell.uuid, hosts: x.hosts })) };
  }

  protected override renderHuman(r: Result): void {
    const n = r.cells.reduce((a, c) => a + c.hosts.length, 0);
    if (this.flags.verbose) for (const c of r.cells) this.log(`Cell ${c.cell} (${c.uuid}): ${c.hosts.length ? c.hosts.join(', ') : 'no new hosts'}`);
    this.log(`Mapped ${n} new host(s).`);
  }
}
