/**
 * Column conventions shared by every migration. Timestamps are fixed-format ISO-8601 UTC
 * strings (`2026-11-22T03:21:55.123Z`): they sort as text and read back identically on SQLite,
 * PostgreSQL and MySQL, which native datetime types do not.
 */
import type { Knex } from 'knex';

export const TS_LEN = 24;

export function timestamps(t: Knex.CreateTableBuilder, softDelete = true): void {
  t.string('created_at', TS_LEN).notNullable();
  t.string('updated_at', TS_LEN).nullable();
  if (softDelete) t.string('deleted_at', TS_LEN).nullable().index();
}

/** A migration module: numbered, additive, with a `down` only where reversal is safe. */
export interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}
