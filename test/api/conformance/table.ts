/**
 * Every compute route novalite may register → the tempest schema its success responses must
 * validate against (tempest client + schema name: the module is picked per microversion as the
 * client does, see test/helpers/tempest.ts). A route the server registers that is missing here
 * fails the conformance test, so a new route cannot skip conformance: add it here and a step
 * for it in scenario.ts. Keys are `METHOD /path` under /v2.1 with `{}` for every parameter.
 * Routes that multiplex (`POST /servers/{}/action`, legacy `PUT /os-services/{}`) map each
 * variant (the action's body key) to its schema. Where tempest has no schema, `none` says why
 * and the status Nova answers (the body must then be a JSON object, or empty for 204).
 */
export type Ref = { client: string; name: string; withAdminPass?: string } | { module: string; name: string; withAdminPass?: string };
export type NoSchema = { none: string; status: number[] };
export type Spec = Ref | NoSchema;
export type Entry = Spec | { variants: Record<string, Spec> };

const s = (name: string, withAdminPass?: string): Ref => ({ client: 'servers', name, ...(withAdminPass ? { withAdminPass } : {}) });
const c = (client: string, name: string): Ref => ({ client, name });
const none = (why: string, ...status: number[]): NoSchema => ({ none: why, status });

const common = s('server_actions_common_schema');

/** `POST /servers/{}/action`: each action (the body's only key) and what tempest checks. */
export const SERVER_ACTIONS: Record<string, Spec> = {
  'os-stop': common, 'os-start': common, reboot: common, pause: common, unpause: common, suspend: common, resume: common,
  lock: common, unlock: common, unrescue: common, resize: common, revertResize: common, migrate: common,
  'os-migrateLive': common, shelve: common, shelveOffload: common, unshelve: common, 'os-resetState': common,
  resetNetwork: common, injectNetworkInfo: common, forceDelete: common, restore: common, trigger_crash_dump: common,
  changePassword: common, addSecurityGroup: common, removeSecurityGroup: common,
  confirmResize: s('server_actions_confirm_resize'),
  rebuild: s('rebuild_server', 'rebuild_server_with_admin_pass'),
  rescue: s('rescue_server', 'rescue_server_with_admin_pass'),
  evacuate: s('evacuate_server', 'evacuate_server_with_admin_pass'),
  createBackup: s('create_backup'),
  createImage: c('images', 'create_image'),
  'os-getConsoleOutput': s('get_console_output'),
  'os-getVNCConsole': s('get_vnc_console'),
  'os-getSPICEConsole': s('get_vnc_console'),
  'os-getSerialConsole': s('get_vnc_console'),
};

const enableDisable = c('services', 'enable_disable_service');
const LEGACY_SERVICES: Record<string, Spec> = {
  enable: enableDisable, disable: enableDisable,
  'disable-log-reason': c('services', 'disable_log_reason'),
  'force-down': { module: 'v2_11.services', name: 'update_forced_down' },
};

export const TABLE: Record<string, Entry> = {
  // version document of /v2.1 (the root `GET /` is checked apart: it is not a compute route)
  'GET /': c('versions', 'get_one_version'),
  'GET /openapi.json': none("novalite's own OpenAPI document of its routes, not a Nova API", 200),

  // servers
  'GET /servers': s('list_servers'),
  'GET /servers/detail': s('list_servers_detail'),
  'POST /servers': s('create_server', 'create_server_with_admin_pass'),
  'GET /servers/{}': s('get_server'),
  'PUT /servers/{}': s('update_server'),
  'DELETE /servers/{}': s('delete_server'),
  'POST /servers/{}/action': { variants: SERVER_ACTIONS },
  'GET /servers/{}/ips': s('list_addresses'),
  'GET /servers/{}/ips/{}': s('list_addresses_by_network'),
  'GET /servers/{}/metadata': s('list_server_metadata'),
  'PUT /servers/{}/metadata': s('set_server_metadata'),
  'POST /servers/{}/metadata': s('update_server_metadata'),
  'GET /servers/{}/metadata/{}': s('set_show_server_metadata_item'),
  'PUT /servers/{}/metadata/{}': s('set_show_server_metadata_item'),
  'DELETE /servers/{}/metadata/{}': s('delete_server_metadata_item'),
  'GET /servers/{}/os-instance-actions': s('list_instance_actions'),
  'GET /servers/{}/os-instance-actions/{}': s('show_instance_action'),
  'GET /servers/{}/tags': s('list_tags'),
  'PUT /servers/{}/tags': s('update_all_tags'),
  'DELETE /servers/{}/tags': s('delete_all_tags'),
  'GET /servers/{}/tags/{}': s('check_tag_existence'),
  'PUT /servers/{}/tags/{}': s('update_tag'),
  'DELETE /servers/{}/tags/{}': s('delete_tag'),
  'GET /servers/{}/diagnostics': s('show_server_diagnostics'),
  'GET /servers/{}/os-server-password': s('show_password'),
  'DELETE /servers/{}/os-server-password': s('server_actions_delete_password'),
  'POST /servers/{}/remote-consoles': s('get_remote_consoles'),
  'GET /servers/{}/os-security-groups': { module: 'v2_1.security_groups', name: 'list_security_groups' },
  'GET /servers/{}/migrations': none('tempest has no server-migrations schema', 200),
  'GET /servers/{}/migrations/{}': none('tempest has no server-migrations schema', 200),
  'POST /servers/{}/migrations/{}/action': none('tempest has no server-migrations schema', 202),
  'DELETE /servers/{}/migrations/{}': none('tempest has no server-migrations schema', 202),

  // flavors
  'GET /flavors': c('flavors', 'list_flavors'),
  'GET /flavors/detail': c('flavors', 'list_flavors_details'),
  'POST /flavors': c('flavors', 'create_update_get_flavor_details'),
  'GET /flavors/{}': c('flavors', 'create_update_get_flavor_details'),
  'PUT /flavors/{}': c('flavors', 'create_update_get_flavor_details'),
  'DELETE /flavors/{}': c('flavors', 'delete_flavor'),
  'POST /flavors/{}/action': { variants: { addTenantAccess: c('flavors', 'add_remove_list_flavor_access'), removeTenantAccess: c('flavors', 'add_remove_list_flavor_access') } },
  'GET /flavors/{}/os-flavor-access': c('flavors', 'add_remove_list_flavor_access'),
  'GET /flavors/{}/os-extra_specs': c('flavors', 'set_get_flavor_extra_specs'),
  'POST /flavors/{}/os-extra_specs': c('flavors', 'set_get_flavor_extra_specs'),
  'GET /flavors/{}/os-extra_specs/{}': c('flavors', 'set_get_flavor_extra_specs_key'),
  'PUT /flavors/{}/os-extra_specs/{}': c('flavors', 'set_get_flavor_extra_specs_key'),
  'DELETE /flavors/{}/os-extra_specs/{}': c('flavors', 'unset_flavor_extra_specs'),

  // keypairs, server groups
  'GET /os-keypairs': c('keypairs', 'list_keypairs'),
  'POST /os-keypairs': c('keypairs', 'create_keypair'),
  'GET /os-keypairs/{}': c('keypairs', 'get_keypair'),
  'DELETE /os-keypairs/{}': c('keypairs', 'delete_keypair'),
  'GET /os-server-groups': c('server_groups', 'list_server_groups'),
  'POST /os-server-groups': c('server_groups', 'create_show_server_group'),
  'GET /os-server-groups/{}': c('server_groups', 'create_show_server_group'),
  'DELETE /os-server-groups/{}': c('server_groups', 'delete_server_group'),

  // aggregates, availability zones, hypervisors, services, hosts
  'GET /os-aggregates': c('aggregates', 'list_aggregates'),
  'POST /os-aggregates': c('aggregates', 'create_aggregate'),
  'GET /os-aggregates/{}': c('aggregates', 'get_aggregate'),
  'PUT /os-aggregates/{}': c('aggregates', 'update_aggregate'),
  'DELETE /os-aggregates/{}': c('aggregates', 'delete_aggregate'),
  'POST /os-aggregates/{}/action': { variants: { add_host: c('aggregates', 'aggregate_add_remove_host'), remove_host: c('aggregates', 'aggregate_add_remove_host'), set_metadata: c('aggregates', 'aggregate_set_metadata') } },
  'POST /os-aggregates/{}/images': none('tempest has no image-cache schema', 202),
  'GET /os-availability-zone': c('availability_zone', 'list_availability_zone_list'),
  'GET /os-availability-zone/detail': c('availability_zone', 'list_availability_zone_list_detail'),
  'GET /os-hypervisors': c('hypervisor', 'list_search_hypervisors'),
  'GET /os-hypervisors/detail': c('hypervisor', 'list_hypervisors_detail'),
  'GET /os-hypervisors/statistics': c('hypervisor', 'get_hypervisor_statistics'),
  'GET /os-hypervisors/{}': c('hypervisor', 'get_hypervisor'),
  'GET /os-hypervisors/{}/uptime': c('hypervisor', 'get_hypervisor_uptime'),
  'GET /os-hypervisors/{}/search': c('hypervisor', 'list_search_hypervisors'),
  'GET /os-hypervisors/{}/servers': c('hypervisor', 'get_hypervisors_servers'),
  'GET /os-services': c('services', 'list_services'),
  'PUT /os-services/{}': { variants: { ...LEGACY_SERVICES, update: c('services', 'update_service') } },
  'PUT /os-services/enable': enableDisable,
  'PUT /os-services/disable': enableDisable,
  'PUT /os-services/disable-log-reason': LEGACY_SERVICES['disable-log-reason'],
  'PUT /os-services/force-down': LEGACY_SERVICES['force-down'],
  'DELETE /os-services/{}': none('tempest has no delete-service schema', 204),
  'GET /os-hosts': c('hosts', 'list_hosts'),
  'GET /os-hosts/{}': c('hosts', 'get_host_detail'),

  // quotas, limits, migrations, usage, events, images
  'GET /os-quota-sets/{}': c('quotas', 'get_quota_set'),
  'PUT /os-quota-sets/{}': c('quotas', 'update_quota_set'),
  'DELETE /os-quota-sets/{}': c('quotas', 'delete_quota'),
  'GET /os-quota-sets/{}/detail': c('quotas', 'get_quota_set_details'),
  'GET /os-quota-sets/{}/defaults': c('quotas', 'get_quota_set'),
  'GET /os-quota-class-sets/{}': c('quota_classes', 'get_quota_class_set'),
  'PUT /os-quota-class-sets/{}': c('quota_classes', 'update_quota_class_set'),
  'GET /limits': c('limits', 'get_limit'),
  'GET /os-migrations': c('migrations', 'list_migrations'),
  'GET /os-simple-tenant-usage': c('tenant_usages', 'list_tenant_usage'),
  'GET /os-simple-tenant-usage/{}': c('tenant_usages', 'get_tenant_usage'),
  'POST /os-server-external-events': c('server_external_events', 'create'),
  'GET /images': c('images', 'list_images'),
  'GET /images/detail': c('images', 'list_images_details'),
  'GET /images/{}': c('images', 'get_image'),
  'DELETE /images/{}': c('images', 'delete'),
  'GET /images/{}/metadata': c('images', 'image_metadata'),
  'PUT /images/{}/metadata': c('images', 'image_metadata'),
  'POST /images/{}/metadata': c('images', 'image_metadata'),
  'GET /images/{}/metadata/{}': c('images', 'image_meta_item'),
  'PUT /images/{}/metadata/{}': c('images', 'image_meta_item'),
  'DELETE /images/{}/metadata/{}': c('images', 'delete'),
};

/** `GET /v2.1/servers/:id` → `GET /servers/{}`. */
export function routeKey(method: string, path: string): string {
  const rel = path.replace(/^\/v2\.1(?=\/|$)/, '') || '/';
  const norm = rel.split('/').map((seg) => (seg.startsWith(':') ? '{}' : seg)).join('/');
  return `${method} ${norm.length > 1 ? norm.replace(/\/$/, '') : norm}`;
}

export function specOf(key: string, variant?: string): Spec | undefined {
  const e = TABLE[key];
  if (!e) return undefined;
  if ('variants' in e) return variant ? e.variants[variant] : undefined;
  return e;
}
