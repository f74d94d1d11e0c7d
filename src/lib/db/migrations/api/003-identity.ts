/**
 * API database: the embedded Keystone's users (scrypt password hashes, never the password),
 * role assignments (user × project × role), the token signing key shared by every serve
 * process, and revoked tokens (by audit id, kept until they would have expired anyway).
 */
import type { Knex } from 'knex';
import { Migration, timestamps, TS_LEN } from '../helpers';

async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.string('id', 32).primary();
    t.string('name', 255).notNullable();
    t.string('domain_id', 64).notNullable().defaultTo('default');
    t.string('password_hash', 512).notNullable();
    t.boolean('enabled').notNullable().defaultTo(true);
    timestamps(t, false);
    t.unique(['domain_id', 'name']);
  });
  await knex.schema.createTable('role_assignments', (t) => {
    t.increments('id');
    t.string('user_id', 32).notNullable();
    t.string('project_id', 255).notNullable().index();
    t.string('role', 16).notNullable();
    t.string('created_at', TS_LEN).notNullable();
    t.unique(['user_id', 'project_id', 'role']);
  });
  await knex.schema.createTable('identity_keys', (t) => {
    t.string('name', 64).primary();
    t.string('value', 255).notNullable();
    t.string('created_at', TS_LEN).notNullable();
  });
  await knex.schema.createTable('revoked_tokens', (t) => {
    t.string('audit_id', 64).primary();
    t.string('expires_at', TS_LEN).notNullable().index();
    t.string('created_at', TS_LEN).notNullable();
  });
}

async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('revoked_tokens');
  await knex.schema.dropTableIfExists('identity_keys');
  await knex.schema.dropTableIfExists('role_assignments');
  await knex.schema.dropTableIfExists('users');
}

export const migration: Migration = { name: '003-identity', up, down };
