import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';

export default class ApiDbSync extends BaseCommand<typeof ApiDbSync> {
  static override description = 'Create or upgrade the API database schema. Safe to run again.';
  static override aliases = ['api_db:sync'];
  static override examples = ['<%= config.bin %> api-db sync', '<%= config.bin %> api-db sync --json'];
  static override flags = { version: Flags.integer({ description: 'Migrate to this schema version instead of the latest.' }) };

  protected async execute() {
    return this.ctx.dbAdmin.apiSync(this.flags.version);
  }

  protected override renderHuman(r: { from: number; to: number }): void {
    this.log(r.from === r.to ? `API database already at version ${r.to}.` : `API database migrated from version ${r.from} to ${r.to}.`);
  }
}
