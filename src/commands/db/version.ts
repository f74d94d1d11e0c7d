import { BaseCommand } from '../_base';
import { table } from '../_render';
import type { VersionRow } from '../../lib/services/db-admin';

export default class DbVersion extends BaseCommand<typeof DbVersion> {
  static override description = 'Print the schema version of every cell database.';
  static override examples = ['<%= config.bin %> db version', '<%= config.bin %> db version --json'];

  protected async execute() {
    return { databases: await this.ctx.dbAdmin.cellVersions() };
  }

  protected override renderHuman(r: { databases: VersionRow[] }): void {
    this.log(table(r.databases, [
      { header: 'Cell', get: (d) => d.name }, { header: 'Version', get: (d) => d.version },
      { header: 'Latest', get: (d) => d.head }, { header: 'Database', get: (d) => d.database },
    ]));
  }
}
