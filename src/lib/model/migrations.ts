/**
 * Migration records (Nova's `migrations` table): one per resize, cold migration, live migration
 * or evacuation, with the status Nova gives each kind along the way.
 */

export type MigrationType = 'resize' | 'migration' | 'live-migration' | 'evacuation';

/**
 * Statuses as Nova sets them. Cold (resize, migration): pre-migrating → migrating →
 * post-migrating → finished → confirming → confirmed, or reverting → reverted; error.
 * Live: accepted → preparing → running → completed; error. Evacuation: accepted →
 * pre-migrating → done → completed (once the source host is cleaned up); failed, error.
 */
export const MigrationStatus = {
  ACCEPTED: 'accepted', PRE_MIGRATING: 'pre-migrating', PREPARING: 'preparing', RUNNING: 'running', MIGRATING: 'migrating',
  POST_MIGRATING: 'post-migrating', FINISHED: 'finished', CONFIRMING: 'confirming', CONFIRMED: 'confirmed',
  REVERTING: 'reverting', REVERTED: 'reverted', COMPLETED: 'completed', DONE: 'done', ERROR: 'error', FAILED: 'failed',
} as const;

/** Statuses after which a migration holds nothing any more. */
export const FINAL_MIGRATION_STATUSES: string[] = ['confirmed', 'reverted', 'completed', 'error', 'failed', 'cancelled'];

export interface Migration {
  id: number;
  uuid: string;
  instanceUuid: string;
  migrationType: MigrationType;
  status: string;
  sourceCompute: string | null;
  sourceNode: string | null;
  destCompute: string | null;
  destNode: string | null;
  /** The destination host's IP address, as Nova records it. */
  destHost: string | null;
  oldInstanceTypeId: number | null;
  newInstanceTypeId: number | null;
  userId: string | null;
  projectId: string | null;
  createdAt: string;
  updatedAt: string | null;
  cellUuid: string;
}
