import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { table } from '../_render';

type Result = { rows: Array<{ migration: string; found: number; done: number; error?: string }>; remaining: boolean };

export default class DbOnlineDataMigrations extends BaseCommand<typeof DbOnlineDataMigrations> {
  static override description = 'Run the online data migrations of this release in batches (resumable).';
  static override aliases = ['db:online_data_migrations'];
  static override examples = ['<%= config.bin %> db online-data-migrations', '<%= config.bin %> db online-data-migrations --max-count 100 --json'];
  static override flags = { 'max-count': Flags.integer({ description: 'Run one batch of at most N rows per migration.' }) };

  protected async execute(): Promise<Result> {
    return this.ctx.dbAdmin.onlineDataMigrations(this.flags['max-count']);
  }

  /** A migration that raised leaves the database needing attention: exit 7, as a database error. */
  protected override exitCodeFor(r: Result): number {
    return r.rows.some((x) => x.error) ? 7 : 0;
  }

  protected override renderHuman(r: Result): void {
    if (r.rows.length === 0) { this.log('No online data migrations in this release.'); return; }
    this.log(table(r.rows, [
      { header: 'Migration', get: (x) => x.migration }, { header: 'Total Needed', get: (x) => x.found },
      { header: 'Completed', get: (x) => x.done }, { header: 'Error', get: (x) => x.error ?? '' },
    ]));
    if (r.remaining) this.log('More rows remain: run again.');
  }
}
