/**
 * Online data migrations: backfills that run while the cloud is up, in batches, after a
 * schema expand. Each returns Nova's (found, done) pair for one batch of at most `max` rows;
 * the runner loops until nothing is found. The registry is where each release adds its own.
 */
import type { Stores } from '../db/stores';

export interface OnlineMigration {
  name: string;
  run(stores: Stores, max: number): Promise<[found: number, done: number]>;
}

export const ONLINE_MIGRATIONS: OnlineMigration[] = [];
