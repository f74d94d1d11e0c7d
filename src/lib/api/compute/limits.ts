/**
 * GET /limits: the caller's project's absolute limits with usage (or another project's with
 * ?tenant_id, for admins), named as Nova's limits view names them; `rate` is always empty.
 * Network limits go at 2.36, maxImageMeta at 2.39, the personality limits at 2.57; from 2.75
 * unknown query parameters are refused.
 */
import type { FastifyRequest } from 'fastify';
import type { RouteModule } from '../types';
import { checkQuery, first } from './limit-query';
import { pathProject } from './quotas';
import { withLegacy } from './quota-keys';

const BASE = 'os_compute_api:limits';
const OTHER = 'os_compute_api:limits:other_project';

/** Absolute limit names per quota resource, with the microversion range each is shown in. */
const MAX_NAMES: Array<[string, string, string?]> = [
  ['maxTotalRAMSize', 'ram'], ['maxTotalInstances', 'instances'], ['maxTotalCores', 'cores'], ['maxTotalKeypairs', 'key_pairs'],
  ['maxServerMeta', 'metadata_items'], ['maxServerGroups', 'server_groups'], ['maxServerGroupMembers', 'server_group_members'],
  ['maxImageMeta', 'metadata_items', '2.38'], ['maxPersonality', 'injected_files', '2.56'], ['maxPersonalitySize', 'injected_file_content_bytes', '2.56'],
  ['maxTotalFloatingIps', 'floating_ips', '2.35'], ['maxSecurityGroups', 'security_groups', '2.35'], ['maxSecurityGroupRules', 'security_group_rules', '2.35'],
];
const USED_NAMES: Array<[string, string, string?]> = [
  ['totalRAMUsed', 'ram'], ['totalCoresUsed', 'cores'], ['totalInstancesUsed', 'instances'], ['totalServerGroupsUsed', 'server_groups'],
  ['totalFloatingIpsUsed', 'floating_ips', '2.35'], ['totalSecurityGroupsUsed', 'security_groups', '2.35'],
];

export const limitRoutes: RouteModule = (deps) => [{
  method: 'GET', url: '/limits', policy: BASE, summary: 'Show the absolute limits of the project with what it uses (?tenant_id: another project, admin only).',
  handler: async (req: FastifyRequest) => {
    const q = checkQuery(req, ['tenant_id'], '2.75');
    let projectId = req.caller.projectId;
    const tenant = first(q, 'tenant_id');
    if (tenant !== undefined) {
      deps.policy.enforce(OTHER, req.caller, {});
      // Nova does not check the id: an unknown project has the defaults and uses nothing.
      projectId = await pathProject(deps.ctx, tenant).catch(() => tenant);
    }
    const view = await deps.ctx.quotas.show(projectId);
    const limits = withLegacy(view.limits);
    const absolute: Record<string, number> = {};
    for (const [name, key, max] of MAX_NAMES) if (!max || req.mv.compare(max) <= 0) absolute[name] = limits[key];
    for (const [name, key, max] of USED_NAMES) if (!max || req.mv.compare(max) <= 0) absolute[name] = view.in_use[key] ?? 0;
    return { limits: { rate: [], absolute } };
  },
}];
limitRoutes.rules = { [BASE]: '@', [OTHER]: 'rule:admin_api' };
