/**
 * Migration records as the two migration APIs show them per microversion: os-migrations (2.23
 * migration_type and, for a live migration in progress, links to it; 2.59 uuid; 2.80 user and
 * project) and /servers/{id}/migrations (live migrations in progress, with Nova's memory and
 * disk progress counters, which novalite does not measure: null).
 */
import type { Migration } from '../../model/migrations';
import type { Microversion } from '../microversion';
import { migrationView } from '../../views/migrations';

/** Nova's "in progress" for a live migration (the only kind /servers/{id}/migrations shows). */
export const LIVE_IN_PROGRESS = ['queued', 'preparing', 'running', 'post-migrating'];

export function isLiveInProgress(m: Migration): boolean {
  return m.migrationType === 'live-migration' && LIVE_IN_PROGRESS.includes(m.status);
}

export function osMigrationView(m: Migration, mv: Microversion, base: string): Record<string, unknown> {
  const { uuid, migration_type, user_id, project_id, ...rest } = migrationView(m);
  const out: Record<string, unknown> = { ...rest };
  if (mv.gte('2.23')) {
    out.migration_type = migration_type;
    if (isLiveInProgress(m)) {
      const path = `servers/${m.instanceUuid}/migrations/${m.id}`;
      out.links = [{ rel: 'self', href: `${base}/v2.1/${path}` }, { rel: 'bookmark', href: `${base}/${path}` }];
    }
  }
  if (mv.gte('2.59')) out.uuid = uuid;
  if (mv.gte('2.80')) Object.assign(out, { user_id, project_id });
  return out;
}

export function serverMigrationView(m: Migration, mv: Microversion): Record<string, unknown> {
  const out: Record<string, unknown> = {
    created_at: m.createdAt, dest_compute: m.destCompute, dest_host: m.destHost, dest_node: m.destNode,
    disk_processed_bytes: null, disk_remaining_bytes: null, disk_total_bytes: null, id: m.id,
    memory_processed_bytes: null, memory_remaining_bytes: null, memory_total_bytes: null,
    server_uuid: m.instanceUuid, source_compute: m.sourceCompute, source_node: m.sourceNode, status: m.status,
    updated_at: m.updatedAt ?? m.createdAt,
  };
  if (mv.gte('2.59')) out.uuid = m.uuid;
  if (mv.gte('2.80')) Object.assign(out, { user_id: m.userId, project_id: m.projectId });
  return out;
}
