/**
 * Cell database, release 1: servers and everything local to a cell, plus a shadow copy of each
 * soft-deletable table for `db archive-deleted-rows`. A table builder runs twice: once for the
 * live table, once (without keys and constraints) for its shadow.
 */
import type { Knex } from 'knex';
import { Migration, timestamps, TS_LEN } from '../helpers';

type B = Knex.CreateTableBuilder;
type Builder = (t: B, shadow: boolean) => void;

const id = (t: B, shadow: boolean) => (shadow ? t.integer('id').primary() : t.increments('id'));
const unique = (t: B, shadow: boolean, cols: string[]) => { if (!shadow) t.unique(cols); };
const index = (t: B, shadow: boolean, cols: string[]) => { if (!shadow) t.index(cols); };

export const ARCHIVED_TABLES: Record<string, Builder> = {
  instances: (t, sh) => {
    id(t, sh);
    t.string('uuid', 36).notNullable();
    unique(t, sh, ['uuid']);
    t.string('display_name', 255).nullable();
    t.text('display_description').nullable();
    t.string('hostname', 255).nullable();
    t.string('project_id', 255).notNullable();
    t.string('user_id', 255).nullable();
    t.string('image_ref', 255).nullable();
    t.string('instance_type_id', 255).nullable();
    t.integer('vcpus').notNullable().defaultTo(0);
    t.integer('memory_mb').notNullable().defaultTo(0);
    t.integer('root_gb').notNullable().defaultTo(0);
    t.integer('ephemeral_gb').notNullable().defaultTo(0);
    t.integer('swap').notNullable().defaultTo(0);
    t.string('vm_state', 255).notNullable();
    t.string('task_state', 255).nullable();
    t.integer('power_state').notNullable().defaultTo(0);
    t.string('host', 255).nullable();
    t.string('node', 255).nullable();
    t.string('launched_on', 255).nullable();
    t.string('availability_zone', 255).nullable();
    t.boolean('locked').notNullable().defaultTo(false);
    t.string('locked_by', 255).nullable();
    t.string('key_name', 255).nullable();
    t.text('key_data').nullable();
    t.text('user_data', 'mediumtext').nullable();
    t.string('config_drive', 255).nullable();
    t.integer('progress').nullable();
    t.string('launched_at', TS_LEN).nullable();
    t.string('terminated_at', TS_LEN).nullable();
    t.string('idempotency_key', 255).nullable();
    timestamps(t);
    index(t, sh, ['project_id', 'deleted_at']);
    index(t, sh, ['host', 'node']);
    index(t, sh, ['updated_at']);
  },
  instance_metadata: (t, sh) => {
    id(t, sh);
    t.string('instance_uuid', 36).notNullable();
    t.string('key', 255).notNullable();
    t.text('value').nullable();
    timestamps(t);
    index(t, sh, ['instance_uuid']);
  },
  instance_system_metadata: (t, sh) => {
    id(t, sh);
    t.string('instance_uuid', 36).notNullable();
    t.string('key', 255).notNullable();
    t.text('value').nullable();
    timestamps(t);
    index(t, sh, ['instance_uuid']);
  },
  instance_info_caches: (t, sh) => {
    id(t, sh);
    t.string('instance_uuid', 36).notNullable();
    unique(t, sh, ['instance_uuid']);
    t.text('network_info').nullable();
    timestamps(t);
  },
  instance_extra: (t, sh) => {
    id(t, sh);
    t.string('instance_uuid', 36).notNullable();
    unique(t, sh, ['instance_uuid']);
    t.text('flavor').nullable();
    t.text('numa_topology').nullable();
    t.text('pci_requests').nullable();
    t.text('vcpu_model').nullable();
    t.text('migration_context').nullable();
    t.text('trusted_certs').nullable();
    timestamps(t);
  },
  instance_faults: (t, sh) => {
    id(t, sh);
    t.string('instance_uuid', 36).notNullable();
    t.integer('code').notNullable();
    t.text('message').nullable();
    t.text('details', 'mediumtext').nullable();
    t.string('host', 255).nullable();
    timestamps(t);
    index(t, sh, ['instance_uuid']);
  },
  instance_actions: (t, sh) => {
    id(t, sh);
    t.string('action', 255).notNullable();
    t.string('instance_uuid', 36).notNullable();
    t.string('request_id', 255).notNullable();
    t.string('user_id', 255).nullable();
    t.string('project_id', 255).nullable();
    t.string('start_time', TS_LEN).nullable();
    t.string('finish_time', TS_LEN).nullable();
    t.text('message').nullable();
    timestamps(t);
    index(t, sh, ['instance_uuid', 'request_id']);
  },
  instance_actions_events: (t, sh) => {
    id(t, sh);
    t.integer('action_id').notNullable();
    t.string('event', 255).notNullable();
    t.string('result', 255).nullable();
    t.text('traceback').nullable();
    t.string('start_time', TS_LEN).nullable();
    t.string('finish_time', TS_LEN).nullable();
    t.string('host', 255).nullable();
    t.text('details').nullable();
    timestamps(t);
    index(t, sh, ['action_id']);
  },
  block_device_mapping: (t, sh) => {
    id(t, sh);
    t.string('uuid', 36).nullable();
    t.string('instance_uuid', 36).notNullable();
    t.string('source_type', 255).nullable();
    t.string('destination_type', 255).nullable();
    t.string('device_type', 255).nullable();
    t.string('disk_bus', 255).nullable();
    t.string('device_name', 255).nullable();
    t.integer('boot_index').nullable();
    t.integer('volume_size').nullable();
    t.string('image_id', 255).nullable();
    t.string('guest_format', 255).nullable();
    t.boolean('delete_on_termination').notNullable().defaultTo(true);
    t.text('connection_info').nullable();
    timestamps(t);
    index(t, sh, ['instance_uuid']);
  },
  migrations: (t, sh) => {
    id(t, sh);
    t.string('uuid', 36).nullable();
    t.string('instance_uuid', 36).notNullable();
    t.string('migration_type', 64).notNullable();
    t.string('status', 255).notNullable();
    t.string('source_compute', 255).nullable();
    t.string('source_node', 255).nullable();
    t.string('dest_compute', 255).nullable();
    t.string('dest_node', 255).nullable();
    t.string('dest_host', 255).nullable();
    t.string('old_instance_type_id', 255).nullable();
    t.string('new_instance_type_id', 255).nullable();
    t.bigInteger('memory_total').nullable();
    t.bigInteger('memory_processed').nullable();
    t.bigInteger('disk_total').nullable();
    t.bigInteger('disk_processed').nullable();
    t.string('user_id', 255).nullable();
    t.string('project_id', 255).nullable();
    timestamps(t);
    index(t, sh, ['instance_uuid']);
  },
  tags: (t, sh) => {
    id(t, sh);
    t.string('resource_id', 36).notNullable();
    t.string('tag', 80).notNullable();
    t.string('created_at', TS_LEN).notNullable();
    t.string('deleted_at', TS_LEN).nullable();
    unique(t, sh, ['resource_id', 'tag']);
  },
  services: (t, sh) => {
    id(t, sh);
    t.string('uuid', 36).notNullable();
    unique(t, sh, ['uuid']);
    t.string('host', 255).notNullable();
    t.string('binary', 255).notNullable();
    t.string('topic', 255).nullable();
    t.integer('report_count').notNullable().defaultTo(0);
    t.boolean('disabled').notNullable().defaultTo(false);
    t.string('disabled_reason', 255).nullable();
    t.boolean('forced_down').notNullable().defaultTo(false);
    t.string('last_seen_up', TS_LEN).nullable();
    t.integer('version').notNullable().defaultTo(1);
    timestamps(t);
    index(t, sh, ['host', 'binary']);
  },
  compute_nodes: (t, sh) => {
    id(t, sh);
    t.string('uuid', 36).notNullable();
    unique(t, sh, ['uuid']);
    t.integer('service_id').nullable();
    t.string('host', 255).notNullable();
    t.string('hypervisor_hostname', 255).notNullable();
    t.string('hypervisor_type', 255).notNullable();
    t.integer('hypervisor_version').notNullable().defaultTo(0);
    t.integer('vcpus').notNullable();
    t.integer('memory_mb').notNullable();
    t.integer('local_gb').notNullable();
    t.integer('vcpus_used').notNullable().defaultTo(0);
    t.integer('memory_mb_used').notNullable().defaultTo(0);
    t.integer('local_gb_used').notNullable().defaultTo(0);
    t.integer('running_vms').notNullable().defaultTo(0);
    t.integer('current_workload').notNullable().defaultTo(0);
    t.integer('disk_available_least').nullable();
    t.string('host_ip', 64).nullable();
    t.float('cpu_allocation_ratio').nullable();
    t.float('ram_allocation_ratio').nullable();
    t.float('disk_allocation_ratio').nullable();
    t.integer('reserved_host_memory_mb').nullable();
    t.integer('reserved_host_disk_mb').nullable();
    t.integer('reserved_host_cpus').nullable();
    t.text('cpu_info').nullable();
    t.text('stats').nullable();
    t.text('metrics').nullable();
    t.text('driver_config').nullable();
    t.integer('generation').notNullable().defaultTo(0);
    t.boolean('mapped').notNullable().defaultTo(false);
    timestamps(t);
    index(t, sh, ['host']);
  },
  tasks: (t, sh) => {
    id(t, sh);
    t.string('uuid', 36).notNullable();
    unique(t, sh, ['uuid']);
    t.string('kind', 64).notNullable();
    t.string('instance_uuid', 36).nullable();
    t.string('state', 32).notNullable();
    t.string('step', 64).nullable();
    t.string('owner', 255).nullable();
    t.string('lease_expires_at', TS_LEN).nullable();
    t.string('heartbeat_at', TS_LEN).nullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('payload', 'mediumtext').nullable();
    t.text('result').nullable();
    timestamps(t);
    index(t, sh, ['state', 'lease_expires_at']);
    index(t, sh, ['instance_uuid']);
  },
};

async function up(knex: Knex): Promise<void> {
  for (const [name, build] of Object.entries(ARCHIVED_TABLES)) {
    await knex.schema.createTable(name, (t) => build(t, false));
    await knex.schema.createTable(`shadow_${name}`, (t) => build(t, true));
  }
  // Claims live beside the compute nodes they draw on, so one cell transaction can re-check
  // capacity and write the allocation atomically (DESIGN.md §2, "Claims in the database").
  await knex.schema.createTable('allocations', (t) => {
    t.increments('id');
    t.string('consumer_uuid', 36).notNullable();
    t.integer('compute_node_id').unsigned().notNullable().references('id').inTable('compute_nodes');
    t.integer('vcpus').notNullable();
    t.integer('memory_mb').notNullable();
    t.integer('disk_gb').notNullable();
    t.string('created_at', TS_LEN).notNullable();
    // No separate index on compute_node_id: every claim writes here, and an index page per
    // insert costs more than the rare per-node scans it would speed up.
    t.unique(['consumer_uuid', 'compute_node_id']);
  });
}

async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('allocations');
  for (const name of Object.keys(ARCHIVED_TABLES).reverse()) {
    await knex.schema.dropTableIfExists(`shadow_${name}`);
    await knex.schema.dropTableIfExists(name);
  }
}

export const migration: Migration = { name: '001-initial', up, down };
