import { BaseCommand } from '../_base';

export default class ApiDbVersion extends BaseCommand<typeof ApiDbVersion> {
  static override description = 'Print the schema version of the API database.';
  static override aliases = ['api_db:version'];
  static override examples = ['<%= config.bin %> api-db version'];

  protected async execute() {
    return this.ctx.dbAdmin.apiVersion();
  }

  protected override renderHuman(r: { version: number; head: number }): void {
    this.log(String(r.version) + (r.version < r.head ? ` (latest is ${r.head}: run novalite api-db sync)` : ''));
  }
}
