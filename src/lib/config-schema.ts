/**
 * The known configuration options, section by section, in the style of nova.conf. Each option
 * has a type, a default and whether it is secret (masked in `config show`). Later features add
 * their sections here; an option not listed is warned about, never silently used.
 */

export type OptionType = 'string' | 'int' | 'float' | 'bool' | 'list' | 'url';

export interface OptionSpec {
  type: OptionType;
  /** Default value; a function is evaluated with the already-resolved DEFAULT section. */
  default?: unknown | ((d: Record<string, unknown>) => unknown);
  secret?: boolean;
  min?: number;
  max?: number;
  choices?: string[];
  help: string;
}

export type SectionSpec = Record<string, OptionSpec>;

export const CONFIG_SCHEMA: Record<string, SectionSpec> = {
  DEFAULT: {
    state_path: { type: 'string', help: 'Directory for novalite state (SQLite files, images).' },
    debug: { type: 'bool', default: false, help: 'Show stack traces for bugs.' },
    unique_server_name_scope: {
      type: 'string', default: '', choices: ['', 'project', 'global'],
      help: 'Enforce unique server names per project or globally (empty: no check).',
    },
    default_availability_zone: { type: 'string', default: 'nova', help: 'AZ of hosts that are in no AZ aggregate.' },
    service_down_time: { type: 'int', default: 60, min: 1, help: 'Seconds without a heartbeat before a host is considered down.' },
    allow_resize_to_same_host: { type: 'bool', default: false, help: 'Let a resize pick the server\'s own host (Nova\'s option of the same name).' },
    reclaim_instance_interval: { type: 'int', default: 0, min: 0, help: 'Seconds a soft-deleted server waits before it is reclaimed (0: delete at once).' },
    shelved_offload_time: { type: 'int', default: 0, min: -1, help: 'Seconds a shelved server keeps its host before it is offloaded (0: at once, -1: never).' },
  },
  api_database: {
    connection: { type: 'url', secret: true, help: 'URL of the API database (global data, cell mappings).' },
    max_pool_size: { type: 'int', default: 10, min: 1, max: 1000, help: 'Connection pool size (PostgreSQL, MySQL).' },
  },
  database: {
    connection: { type: 'url', secret: true, help: 'URL of the main cell database; simple-cell-setup maps it as cell1 and derives cell0 from it.' },
    max_pool_size: { type: 'int', default: 10, min: 1, max: 1000, help: 'Connection pool size (PostgreSQL, MySQL).' },
    sqlite_busy_timeout_ms: { type: 'int', default: 10000, min: 0, help: 'How long SQLite waits for a lock before failing.' },
  },
  filter_scheduler: {
    enabled_filters: { type: 'list', help: 'Filters to run, in order (default: novalite\'s defaults).' },
    weight_classes: { type: 'list', help: 'Weighers to run (default: all).' },
    host_subset_size: { type: 'int', default: 1, min: 1, help: 'Choose randomly among the best N hosts.' },
    max_io_ops_per_host: { type: 'int', default: 8, min: 0, help: 'IoOpsFilter limit.' },
    max_instances_per_host: { type: 'int', default: 50, min: 0, help: 'NumInstancesFilter limit.' },
    ram_weight_multiplier: { type: 'float', default: 1.0, help: 'RAM weigher multiplier.' },
    cpu_weight_multiplier: { type: 'float', default: 1.0, help: 'CPU weigher multiplier.' },
    disk_weight_multiplier: { type: 'float', default: 1.0, help: 'Disk weigher multiplier.' },
    io_ops_weight_multiplier: { type: 'float', default: -1.0, help: 'IoOps weigher multiplier.' },
    num_instances_weight_multiplier: { type: 'float', default: 0.0, help: 'NumInstances weigher multiplier.' },
    soft_affinity_weight_multiplier: { type: 'float', default: 1.0, min: 0, help: 'Soft affinity weigher multiplier.' },
    soft_anti_affinity_weight_multiplier: { type: 'float', default: 1.0, min: 0, help: 'Soft anti-affinity weigher multiplier.' },
    build_failure_weight_multiplier: { type: 'float', default: 1000000.0, help: 'BuildFailure weigher multiplier.' },
    cross_cell_move_weight_multiplier: { type: 'float', default: 1000000.0, help: 'CrossCell weigher multiplier.' },
    isolated_images: { type: 'list', default: [], help: 'Images only for isolated hosts.' },
    isolated_hosts: { type: 'list', default: [], help: 'Hosts reserved for isolated images.' },
    restrict_isolated_hosts_to_isolated_images: { type: 'bool', default: true, help: 'IsolatedHostsFilter strictness.' },
  },
  scheduler: {
    max_attempts: { type: 'int', default: 3, min: 1, help: 'Hosts to try per server (the chosen one plus alternates).' },
  },
  metrics: {
    weight_multiplier: { type: 'float', default: 1.0, help: 'Metrics weigher multiplier.' },
    weight_setting: { type: 'list', default: [], help: 'name=ratio pairs for the Metrics weigher.' },
    required: { type: 'bool', default: true, help: 'Fail hosts missing a metric.' },
    weight_of_unavailable: { type: 'float', default: -10000.0, help: 'Weight of a host missing a metric when not required.' },
  },
  compute: {
    cpu_allocation_ratio: { type: 'float', min: 0, help: 'Default vCPU allocation ratio for hosts without their own.' },
    ram_allocation_ratio: { type: 'float', min: 0, help: 'Default RAM allocation ratio for hosts without their own.' },
    disk_allocation_ratio: { type: 'float', min: 0, help: 'Default disk allocation ratio for hosts without their own.' },
    reserved_host_memory_mb: { type: 'int', default: 512, min: 0, help: 'RAM kept for the host.' },
    reserved_host_disk_mb: { type: 'int', default: 0, min: 0, help: 'Disk kept for the host.' },
    reserved_host_cpus: { type: 'int', default: 0, min: 0, help: 'vCPUs kept for the host.' },
    instance_build_timeout: { type: 'int', default: 3600, min: 0, help: 'Seconds before a build is failed.' },
    resize_confirm_window: { type: 'int', default: 0, min: 0, help: 'Seconds before a resize is confirmed automatically (0: never).' },
  },
  fake_driver: {
    state: { type: 'string', default: 'file', choices: ['file', 'memory'], help: 'Where fake hosts keep their servers: files under state_path (shared by every novalite process) or process memory (simulations, benchmarks).' },
  },
  conductor: {
    task_lease_seconds: { type: 'int', default: 60, min: 1, help: 'Lease of a durable task; a task whose lease expires is recovered.' },
  },
  identity: {
    token_expiration: { type: 'int', default: 3600, min: 1, max: 31536000, secret: false, help: 'Seconds a token from /identity/v3/auth/tokens stays valid (Keystone\'s option of the same name).' },
  },
};

export function isSecretKey(section: string, key: string): boolean {
  return CONFIG_SCHEMA[section]?.[key]?.secret === true || /password|secret|token/i.test(key);
}
