/**
 * A migration record as Nova's os-migrations API shows it (microversion 2.80: uuid, type, user
 * and project), shared by `migration list --json` and the REST API.
 */
import { Migration } from '../model/migrations';

export function migrationView(m: Migration) {
  return {
    id: m.id,
    uuid: m.uuid,
    status: m.status,
    instance_uuid: m.instanceUuid,
    migration_type: m.migrationType,
    source_compute: m.sourceCompute,
    source_node: m.sourceNode,
    dest_compute: m.destCompute,
    dest_node: m.destNode,
    dest_host: m.destHost,
    old_instance_type_id: m.oldInstanceTypeId,
    new_instance_type_id: m.newInstanceTypeId,
    user_id: m.userId,
    project_id: m.projectId,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
  };
}

export type MigrationView = ReturnType<typeof migrationView>;
