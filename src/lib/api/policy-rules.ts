/**
 * The default rule of every API action, named as Nova names its policies. Each compute module
 * adds its own rules here; `novalite policy check` lists them with any overrides applied.
 */
export const DEFAULT_RULES: Record<string, string> = {
  // servers
  'os_compute_api:servers:index': 'rule:admin_or_reader',
  'os_compute_api:servers:detail': 'rule:admin_or_reader',
  'os_compute_api:servers:index:get_all_tenants': 'rule:admin_api',
  'os_compute_api:servers:detail:get_all_tenants': 'rule:admin_api',
  'os_compute_api:servers:show': 'rule:admin_or_reader',
  'os_compute_api:servers:create': 'rule:admin_or_member',
  'os_compute_api:servers:create:forced_host': 'rule:admin_api',
  'os_compute_api:servers:update': 'rule:admin_or_member',
  'os_compute_api:servers:delete': 'rule:admin_or_member',
  // everyone with a valid token may list versions and limits of their own project
  'compute:versions': '@',
};
