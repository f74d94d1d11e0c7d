import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { runSteps } from '../_progress';
import { table } from '../_render';
import type { SyncResult } from '../../lib/services/db-admin';

export default class DbSync extends BaseCommand<typeof DbSync> {
  static override description = 'Create or upgrade the schema of cell0 and every cell database (and of the [database] connection before cells are mapped). Safe to run again.';
  static override examples = ['<%= config.bin %> db sync', '<%= config.bin %> db sync --json'];
  static override flags = { version: Flags.integer({ description: 'Migrate to this schema version instead of the latest.' }) };

  protected async execute() {
    const targets = await this.ctx.dbAdmin.cellTargets();
    const results: SyncResult[] = [];
    await runSteps(targets.map((t) => ({
      title: `Sync ${t.name}`,
      run: async () => {
        const r = await this.ctx.dbAdmin.syncTarget(t, this.flags.version);
        results.push(r);
        return r.from === r.to ? `at version ${r.to}` : `${r.from} → ${r.to}`;
      },
    })), { tty: this.interactive, quiet: this.jsonMode });
    return { databases: results };
  }

  protected override renderHuman(r: { databases: SyncResult[] }): void {
    this.log(table(r.databases, [
      { header: 'Cell', get: (d) => d.name }, { header: 'Database', get: (d) => d.database },
      { header: 'From', get: (d) => d.from }, { header: 'To', get: (d) => d.to },
    ]));
  }
}
