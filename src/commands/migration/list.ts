import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { table } from '../_render';
import { migrationView, MigrationView } from '../../lib/views/migrations';

export default class MigrationList extends BaseCommand<typeof MigrationList> {
  static override description = [
    'List migrations (resizes, cold and live migrations, evacuations) of every cell, newest first, in the shape of Nova\'s os-migrations.',
    'Exit 3 when --server names no server.',
  ].join(' ');
  static override examples = [
    '<%= config.bin %> migration list',
    '<%= config.bin %> migration list --server web1 --json',
    '<%= config.bin %> migration list --host compute-1 --status finished --type resize',
  ];
  static override flags = {
    server: Flags.string({ description: 'Only the migrations of this server (name or UUID; deleted servers by UUID).' }),
    project: Flags.string({ description: 'Project of the --server (default: any project).' }),
    host: Flags.string({ description: 'Only migrations from or to this host.' }),
    status: Flags.string({ description: 'Only migrations with this status (finished, confirmed, reverted, completed, done, error …).' }),
    type: Flags.string({ description: 'Only migrations of this type.', options: ['resize', 'migration', 'live-migration', 'evacuation'] }),
  };

  protected async execute(): Promise<{ migrations: MigrationView[] }> {
    const f = this.flags;
    const projectId = f.project ? (await this.ctx.projects.resolve(f.project)).id : undefined;
    const list = await this.ctx.serverMoves.listMigrations({ server: f.server, projectId, host: f.host, status: f.status, type: f.type });
    return { migrations: list.map(migrationView) };
  }

  protected override renderHuman(r: { migrations: MigrationView[] }): void {
    this.log(table(r.migrations, [
      { header: 'Id', get: (m) => m.id }, { header: 'UUID', get: (m) => m.uuid }, { header: 'Server', get: (m) => m.instance_uuid },
      { header: 'Type', get: (m) => m.migration_type }, { header: 'Status', get: (m) => m.status },
      { header: 'Source', get: (m) => m.source_compute }, { header: 'Destination', get: (m) => m.dest_compute },
      { header: 'Old Flavor', get: (m) => m.old_instance_type_id }, { header: 'New Flavor', get: (m) => m.new_instance_type_id },
      { header: 'Created At', get: (m) => m.created_at },
    ]));
  }
}
