/**
 * API database, release 1 (servers): the image registry, quota usage counters (consumed with a
 * conditional UPDATE so a burst of creates cannot exceed a limit), and idempotency keys on
 * instance mappings (unique per project, across every cell).
 */
import type { Knex } from 'knex';
import { Migration, timestamps } from '../helpers';

async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('images', (t) => {
    t.string('id', 36).primary();
    t.string('name', 255).nullable().index();
    t.string('status', 32).notNullable();
    t.string('visibility', 16).notNullable().defaultTo('public');
    t.string('disk_format', 16).nullable();
    t.string('container_format', 16).nullable();
    t.integer('min_disk').notNullable().defaultTo(0);
    t.integer('min_ram').notNullable().defaultTo(0);
    t.bigInteger('size').nullable();
    t.string('checksum', 32).nullable();
    t.string('os_hash_algo', 16).nullable();
    t.string('os_hash_value', 128).nullable();
    t.boolean('protected').notNullable().defaultTo(false);
    t.string('owner', 255).nullable().index();
    t.text('properties').nullable();
    t.text('tags').nullable();
    t.text('location').nullable();
    timestamps(t);
  });
  await knex.schema.createTable('quota_usages', (t) => {
    t.increments('id');
    t.string('project_id', 255).notNullable();
    // '' for the project's total, else the user's share.
    t.string('user_id', 255).notNullable().defaultTo('');
    t.string('resource', 64).notNullable();
    t.bigInteger('in_use').notNullable().defaultTo(0);
    t.unique(['project_id', 'user_id', 'resource']);
  });
  await knex.schema.alterTable('instance_mappings', (t) => {
    t.string('idempotency_key', 255).nullable();
    t.unique(['project_id', 'idempotency_key']);
  });
}

async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('instance_mappings', (t) => {
    t.dropUnique(['project_id', 'idempotency_key']);
    t.dropColumn('idempotency_key');
  });
  await knex.schema.dropTableIfExists('quota_usages');
  await knex.schema.dropTableIfExists('images');
}

export const migration: Migration = { name: '002-servers', up, down };
