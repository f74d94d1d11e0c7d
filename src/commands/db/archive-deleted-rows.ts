import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { dateFlag } from '../_flags';
import { table } from '../_render';

type Result = { cells: Array<{ cell: string; tables: Record<string, number> }>; purged: Record<string, number> };

export default class DbArchiveDeletedRows extends BaseCommand<typeof DbArchiveDeletedRows> {
  static override description = 'Move deleted servers and other soft-deleted rows into the shadow tables. Exits 0 whether or not rows moved.';
  static override aliases = ['db:archive_deleted_rows'];
  static override examples = ['<%= config.bin %> db archive-deleted-rows --until-complete --all-cells', '<%= config.bin %> db archive-deleted-rows --before 2026-11-01 --purge --json'];
  static override flags = {
    'max-rows': Flags.integer({ description: 'Servers (and rows per table) to move per batch.', default: 1000 }),
    before: dateFlag({ description: 'Only rows deleted before this date.' }),
    'until-complete': Flags.boolean({ description: 'Repeat batches until nothing is left to move.' }),
    purge: Flags.boolean({ description: 'Then delete everything from the shadow tables.' }),
    'all-cells': Flags.boolean({ description: 'Every cell, not only the one on [database] connection.' }),
  };

  protected async execute(): Promise<Result> {
    return this.ctx.dbAdmin.archiveDeletedRows({
      maxRows: this.flags['max-rows'], before: this.flags.before, untilComplete: this.flags['until-complete'],
      purge: this.flags.purge, allCells: this.flags['all-cells'],
    }, this.jsonMode ? undefined : (cell, t) => this.warnLine(`${cell}: archived ${Object.values(t).reduce((a, b) => a + b, 0)} rows`));
  }

  protected override renderHuman(r: Result): void {
    const rows = r.cells.flatMap((c) => Object.entries(c.tables).map(([t, n]) => ({ cell: c.cell, t, n })));
    this.log(rows.length ? table(rows, [{ header: 'Cell', get: (x) => x.cell }, { header: 'Table', get: (x) => x.t }, { header: 'Rows archived', get: (x) => x.n }])
      : 'Nothing was archived.');
    if (Object.keys(r.purged).length) this.log(`Purged: ${Object.entries(r.purged).map(([t, n]) => `${t}=${n}`).join(', ')}`);
  }
}
