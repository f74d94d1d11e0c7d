/**
 * Cell database, release 2 (agentless hosts): hosts run nothing of ours, so "up" is what the
 * last contact found. A failed heartbeat or operation records when the host stopped answering
 * and why; the next successful contact clears it.
 */
import type { Knex } from 'knex';
import { Migration, TS_LEN } from '../helpers';

async function up(knex: Knex): Promise<void> {
  for (const table of ['services', 'shadow_services']) {
    await knex.schema.alterTable(table, (t) => {
      t.string('unreachable_since', TS_LEN).nullable();
      t.text('last_error').nullable();
    });
  }
}

async function down(knex: Knex): Promise<void> {
  for (const table of ['services', 'shadow_services']) {
    await knex.schema.alterTable(table, (t) => {
      t.dropColumn('unreachable_since');
      t.dropColumn('last_error');
    });
  }
}

export const migration: Migration = { name: '003-host-contact', up, down };
