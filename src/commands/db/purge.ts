import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { dateFlag } from '../_flags';
import { table } from '../_render';

export default class DbPurge extends BaseCommand<typeof DbPurge> {
  static override description = 'Delete archived rows from the shadow tables.';
  static override examples = ['<%= config.bin %> db purge --before 2026-10-01 --all-cells', '<%= config.bin %> db purge --json'];
  static override flags = {
    before: dateFlag({ description: 'Only rows archived (deleted) before this date; default: all.' }),
    'all-cells': Flags.boolean({ description: 'Every cell, not only the one on [database] connection.' }),
  };

  protected async execute() {
    return { purged: await this.ctx.dbAdmin.purge({ before: this.flags.before, allCells: this.flags['all-cells'] }) };
  }

  protected override renderHuman(r: { purged: Record<string, number> }): void {
    const rows = Object.entries(r.purged);
    this.log(rows.length ? table(rows, [{ header: 'Table', get: (x) => x[0] }, { header: 'Rows purged', get: (x) => x[1] }]) : 'Nothing to purge.');
  }
}
