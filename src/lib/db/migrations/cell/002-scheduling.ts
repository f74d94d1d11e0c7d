/**
 * Cell database, release 1 (scheduling): race-free server-group placement. A claim inserts one
 * row per (group, host, slot) in the same transaction as the resource claim, so the unique key
 * makes two concurrent anti-affinity members on one host impossible; affinity pins the group's
 * host in one row per group.
 */
import type { Knex } from 'knex';
import { Migration, TS_LEN } from '../helpers';

async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('group_host_claims', (t) => {
    t.increments('id');
    t.string('group_uuid', 36).notNullable();
    t.string('host', 255).notNullable();
    t.integer('slot').notNullable();
    t.string('consumer_uuid', 36).notNullable().index();
    t.string('created_at', TS_LEN).notNullable();
    t.unique(['group_uuid', 'host', 'slot']);
  });
  await knex.schema.createTable('group_affinity_hosts', (t) => {
    t.increments('id');
    t.string('group_uuid', 36).notNullable().unique();
    t.string('host', 255).notNullable();
    t.string('created_at', TS_LEN).notNullable();
  });
}

async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('group_affinity_hosts');
  await knex.schema.dropTableIfExists('group_host_claims');
}

export const migration: Migration = { name: '002-scheduling', up, down };
