/** API database, release 1: global data and the cells v2 mappings. */
import type { Knex } from 'knex';
import { Migration, timestamps, TS_LEN } from '../helpers';

const TABLES = [
  'projects', 'cell_mappings', 'host_mappings', 'instance_mappings', 'flavors', 'flavor_extra_specs',
  'flavor_projects', 'key_pairs', 'aggregates', 'aggregate_hosts', 'aggregate_metadata', 'instance_groups',
  'instance_group_policy', 'instance_group_member', 'quotas', 'project_user_quotas', 'quota_classes',
  'request_specs', 'build_requests',
];

async function up(knex: Knex): Promise<void> {

  await knex.schema.createTable('projects', (t) => {
    t.increments('id');
    t.string('uuid', 36).notNullable().unique();
    t.string('name', 255).notNullable().unique();
    t.text('description').nullable();
    t.boolean('enabled').notNullable().defaultTo(true);
    timestamps(t, false);
  });
  await knex.schema.createTable('cell_mappings', (t) => {
    t.increments('id');
    t.string('uuid', 36).notNullable().unique();
    t.string('name', 255).nullable().unique();
    t.text('database_connection').notNullable();
    t.text('transport_url').nullable();
    t.boolean('disabled').notNullable().defaultTo(false);
    timestamps(t, false);
  });
  await knex.schema.createTable('host_mappings', (t) => {
    t.increments('id');
    t.integer('cell_id').unsigned().notNullable().references('id').inTable('cell_mappings');
    t.string('host', 255).notNullable().unique();
    timestamps(t, false);
  });
  await knex.schema.createTable('instance_mappings', (t) => {
    t.increments('id');
    t.string('instance_uuid', 36).notNullable().unique();
    t.integer('cell_id').unsigned().nullable().references('id').inTable('cell_mappings');
    t.string('project_id', 255).notNullable().index();
    t.string('user_id', 255).nullable();
    t.boolean('queued_for_delete').notNullable().defaultTo(false);
    timestamps(t, false);
  });
  await knex.schema.createTable('flavors', (t) => {
    t.increments('id');
    t.string('flavorid', 255).notNullable().unique();
    t.string('name', 255).notNullable().unique();
    t.integer('memory_mb').notNullable();
    t.integer('vcpus').notNullable();
    t.integer('root_gb').notNullable().defaultTo(0);
    t.integer('ephemeral_gb').notNullable().defaultTo(0);
    t.integer('swap').notNullable().defaultTo(0);
    t.float('rxtx_factor').notNullable().defaultTo(1.0);
    t.integer('vcpu_weight').nullable();
    t.boolean('disabled').notNullable().defaultTo(false);
    t.boolean('is_public').notNullable().defaultTo(true);
    t.text('description').nullable();
    timestamps(t, false);
  });
  await knex.schema.createTable('flavor_extra_specs', (t) => {
    t.increments('id');
    t.integer('flavor_id').unsigned().notNullable().references('id').inTable('flavors').onDelete('CASCADE');
    t.string('key', 255).notNullable();
    t.text('value').notNullable();
    t.unique(['flavor_id', 'key']);
  });
  await knex.schema.createTable('flavor_projects', (t) => {
    t.increments('id');
    t.integer('flavor_id').unsigned().notNullable().references('id').inTable('flavors').onDelete('CASCADE');
    t.string('project_id', 255).notNullable();
    t.unique(['flavor_id', 'project_id']);
  });
  await knex.schema.createTable('key_pairs', (t) => {
    t.increments('id');
    t.string('name', 255).notNullable();
    t.string('user_id', 255).notNullable();
    t.string('project_id', 255).nullable();
    t.string('fingerprint', 255).notNullable();
    t.text('public_key').notNullable();
    t.string('type', 16).notNullable().defaultTo('ssh');
    timestamps(t, false);
    t.unique(['user_id', 'name']);
  });
  await knex.schema.createTable('aggregates', (t) => {
    t.increments('id');
    t.string('uuid', 36).notNullable().unique();
    t.string('name', 255).notNullable().unique();
    timestamps(t, false);
  });
  await knex.schema.createTable('aggregate_hosts', (t) => {
    t.increments('id');
    t.string('host', 255).notNullable().index();
    t.integer('aggregate_id').unsigned().notNullable().references('id').inTable('aggregates').onDelete('CASCADE');
    t.unique(['host', 'aggregate_id']);
  });
  await knex.schema.createTable('aggregate_metadata', (t) => {
    t.increments('id');
    t.integer('aggregate_id').unsigned().notNullable().references('id').inTable('aggregates').onDelete('CASCADE');
    t.string('key', 255).notNullable();
    t.string('value', 255).notNullable();
    t.unique(['aggregate_id', 'key']);
  });
  await knex.schema.createTable('instance_groups', (t) => {
    t.increments('id');
    t.string('uuid', 36).notNullable().unique();
    t.string('name', 255).nullable();
    t.string('user_id', 255).nullable();
    t.string('project_id', 255).nullable().index();
    timestamps(t, false);
  });
  await knex.schema.createTable('instance_group_policy', (t) => {
    t.increments('id');
    t.integer('group_id').unsigned().notNullable().references('id').inTable('instance_groups').onDelete('CASCADE');
    t.string('policy', 255).notNullable();
    t.text('rules').nullable();
  });
  await knex.schema.createTable('instance_group_member', (t) => {
    t.increments('id');
    t.integer('group_id').unsigned().notNullable().references('id').inTable('instance_groups').onDelete('CASCADE');
    t.string('instance_uuid', 36).notNullable().index();
    t.unique(['group_id', 'instance_uuid']);
  });
  await knex.schema.createTable('quotas', (t) => {
    t.increments('id');
    t.string('project_id', 255).notNullable();
    t.string('resource', 255).notNullable();
    t.bigInteger('hard_limit').notNullable();
    t.unique(['project_id', 'resource']);
  });
  await knex.schema.createTable('project_user_quotas', (t) => {
    t.increments('id');
    t.string('project_id', 255).notNullable();
    t.string('user_id', 255).notNullable();
    t.string('resource', 255).notNullable();
    t.bigInteger('hard_limit').notNullable();
    t.unique(['project_id', 'user_id', 'resource']);
  });
  await knex.schema.createTable('quota_classes', (t) => {
    t.increments('id');
    t.string('class_name', 255).notNullable();
    t.string('resource', 255).notNullable();
    t.bigInteger('hard_limit').notNullable();
    t.unique(['class_name', 'resource']);
  });
  await knex.schema.createTable('request_specs', (t) => {
    t.increments('id');
    t.string('instance_uuid', 36).notNullable().unique();
    t.text('spec').notNullable();
  });
  await knex.schema.createTable('build_requests', (t) => {
    t.increments('id');
    t.string('instance_uuid', 36).notNullable().unique();
    t.string('project_id', 255).notNullable().index();
    t.string('user_id', 255).nullable();
    t.text('instance').notNullable();
    t.text('block_device_mappings').nullable();
    t.text('tags').nullable();
    t.string('created_at', TS_LEN).notNullable();
  });
}

async function down(knex: Knex): Promise<void> {
  for (const name of [...TABLES].reverse()) await knex.schema.dropTableIfExists(name);
}

export const migration: Migration = { name: '001-initial', up, down };
