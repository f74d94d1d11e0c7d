/**
 * Conformance steps for the global resources: version document, flavors (extra specs, access),
 * key pairs, server groups, aggregates and availability zones, quotas and limits. Run before
 * any server exists at that microversion (an aggregate's zone may only change on an empty host).
 */
import { sshPublicKey } from '../../helpers/openstack';
import { cmpMv, type Runner, type Step } from './runner';

const gte = (mv: string, v: string) => cmpMv(mv, v) >= 0;

const flavorBody = (name: string, mv: string, extra: Record<string, unknown> = {}) => ({
  flavor: { name, ram: 512, vcpus: 1, disk: 1, ...(gte(mv, '2.55') ? { description: 'conformance' } : {}), ...extra },
});

export const RESOURCE_STEPS: Step[] = [
  { route: 'GET /', method: 'GET', path: () => '/' },
  { route: 'GET /openapi.json', method: 'GET', path: () => '/openapi.json' },

  // flavors
  {
    route: 'POST /flavors', method: 'POST', path: () => '/flavors',
    body: (st) => flavorBody(`fl-${st.tag}`, st.mv),
    after: (res, r) => { r.st.ids.flavor = res.body.flavor.id; },
  },
  { route: 'GET /flavors', method: 'GET', path: () => '/flavors' },
  { route: 'GET /flavors/detail', method: 'GET', path: () => '/flavors/detail?is_public=None' },
  { route: 'GET /flavors/{}', method: 'GET', path: (st) => `/flavors/${st.ids.flavor}`, before: flavor },
  { route: 'PUT /flavors/{}', method: 'PUT', min: '2.55', path: (st) => `/flavors/${st.ids.flavor}`, before: flavor, body: () => ({ flavor: { description: 'updated by the conformance test' } }) },
  { route: 'POST /flavors/{}/os-extra_specs', method: 'POST', path: (st) => `/flavors/${st.ids.flavor}/os-extra_specs`, before: flavor, body: () => ({ extra_specs: { 'hw:cpu_policy': 'shared', 'hw:numa_nodes': '1' } }) },
  { route: 'GET /flavors/{}/os-extra_specs', method: 'GET', path: (st) => `/flavors/${st.ids.flavor}/os-extra_specs`, before: flavor },
  { route: 'GET /flavors/{}/os-extra_specs/{}', method: 'GET', path: (st) => `/flavors/${st.ids.flavor}/os-extra_specs/hw:cpu_policy`, before: flavorSpecs },
  { route: 'PUT /flavors/{}/os-extra_specs/{}', method: 'PUT', path: (st) => `/flavors/${st.ids.flavor}/os-extra_specs/hw:cpu_policy`, before: flavorSpecs, body: () => ({ 'hw:cpu_policy': 'dedicated' }) },
  { route: 'DELETE /flavors/{}/os-extra_specs/{}', method: 'DELETE', path: (st) => `/flavors/${st.ids.flavor}/os-extra_specs/hw:numa_nodes`, before: flavorSpecs },
  {
    route: 'POST /flavors', method: 'POST', path: () => '/flavors',
    body: (st) => flavorBody(`fp-${st.tag}`, st.mv, { 'os-flavor-access:is_public': false }),
    after: (res, r) => { r.st.ids.privateFlavor = res.body.flavor.id; },
  },
  { route: 'POST /flavors/{}/action', method: 'POST', path: (st) => `/flavors/${st.ids.privateFlavor}/action`, before: privateFlavor, body: (st) => ({ addTenantAccess: { tenant: st.ids.demo } }) },
  { route: 'GET /flavors/{}/os-flavor-access', method: 'GET', path: (st) => `/flavors/${st.ids.privateFlavor}/os-flavor-access`, before: privateFlavor },
  { route: 'POST /flavors/{}/action', method: 'POST', path: (st) => `/flavors/${st.ids.privateFlavor}/action`, before: privateFlavor, body: (st) => ({ removeTenantAccess: { tenant: st.ids.demo } }) },
  { route: 'DELETE /flavors/{}', method: 'DELETE', path: (st) => `/flavors/${st.ids.privateFlavor}`, before: privateFlavor },
  { route: 'DELETE /flavors/{}', method: 'DELETE', path: (st) => `/flavors/${st.ids.flavor}`, before: flavor },
  { route: 'GET /flavors/{}', method: 'GET', path: () => '/flavors/no-such-flavor', expect: [404] },

  // key pairs: generated below 2.92, imported from 2.92 on
  {
    route: 'POST /os-keypairs', method: 'POST', path: () => '/os-keypairs',
    body: (st) => ({ keypair: { name: `kp-${st.tag}`, ...(st.mv !== '2.1' ? { type: 'ssh' } : {}), ...(gte(st.mv, '2.92') ? { public_key: sshPublicKey() } : {}) } }),
    after: (res, r) => { r.st.ids.keypair = res.body.keypair.name; },
  },
  { route: 'GET /os-keypairs', method: 'GET', path: () => '/os-keypairs' },
  { route: 'GET /os-keypairs/{}', method: 'GET', path: (st) => `/os-keypairs/${st.ids.keypair}`, before: keypair },
  { route: 'DELETE /os-keypairs/{}', method: 'DELETE', path: (st) => `/os-keypairs/${st.ids.keypair}`, before: keypair },
  { route: 'POST /os-keypairs', method: 'POST', min: '2.92', path: () => '/os-keypairs', body: (st) => ({ keypair: { name: `kp-gen-${st.tag}` } }), expect: [400] },

  // server groups: `policies` until 2.63, `policy` (+ rules) from 2.64
  {
    route: 'POST /os-server-groups', method: 'POST', path: () => '/os-server-groups',
    body: (st) => ({ server_group: gte(st.mv, '2.64') ? { name: `sg-${st.tag}`, policy: 'anti-affinity', rules: { max_server_per_host: 2 } } : { name: `sg-${st.tag}`, policies: ['anti-affinity'] } }),
    after: (res, r) => { r.st.ids.group = res.body.server_group.id; },
  },
  { route: 'GET /os-server-groups', method: 'GET', path: () => '/os-server-groups' },
  { route: 'GET /os-server-groups/{}', method: 'GET', path: (st) => `/os-server-groups/${st.ids.group}`, before: group },
  { route: 'DELETE /os-server-groups/{}', method: 'DELETE', path: (st) => `/os-server-groups/${st.ids.group}`, before: group },

  // aggregates and availability zones (host h3 carries no servers)
  {
    route: 'POST /os-aggregates', method: 'POST', path: () => '/os-aggregates',
    body: (st) => ({ aggregate: { name: `ag-${st.tag}`, availability_zone: `az-${st.tag}` } }),
    after: (res, r) => { r.st.ids.aggregate = String(res.body.aggregate.id); },
  },
  { route: 'GET /os-aggregates', method: 'GET', path: () => '/os-aggregates' },
  { route: 'GET /os-aggregates/{}', method: 'GET', path: (st) => `/os-aggregates/${st.ids.aggregate}`, before: aggregate },
  { route: 'PUT /os-aggregates/{}', method: 'PUT', path: (st) => `/os-aggregates/${st.ids.aggregate}`, before: aggregate, body: (st) => ({ aggregate: { name: `ag2-${st.tag}` } }) },
  { route: 'POST /os-aggregates/{}/action', method: 'POST', path: (st) => `/os-aggregates/${st.ids.aggregate}/action`, before: aggregate, body: () => ({ add_host: { host: 'h3' } }) },
  { route: 'POST /os-aggregates/{}/action', method: 'POST', path: (st) => `/os-aggregates/${st.ids.aggregate}/action`, before: aggregate, body: () => ({ set_metadata: { metadata: { ssd: 'true', unset_me: null } } }) },
  { route: 'GET /os-availability-zone', method: 'GET', path: () => '/os-availability-zone' },
  { route: 'GET /os-availability-zone/detail', method: 'GET', path: () => '/os-availability-zone/detail' },
  { route: 'POST /os-aggregates/{}/images', method: 'POST', min: '2.81', path: (st) => `/os-aggregates/${st.ids.aggregate}/images`, before: aggregate, body: (st) => ({ cache: [{ id: st.ids.image }] }) },
  { route: 'POST /os-aggregates/{}/action', method: 'POST', path: (st) => `/os-aggregates/${st.ids.aggregate}/action`, before: aggregate, body: () => ({ remove_host: { host: 'h3' } }) },
  { route: 'DELETE /os-aggregates/{}', method: 'DELETE', path: (st) => `/os-aggregates/${st.ids.aggregate}`, before: aggregate },

  // quotas (of project demo) and limits
  { route: 'GET /os-quota-sets/{}', method: 'GET', path: (st) => `/os-quota-sets/${st.ids.demo}` },
  { route: 'GET /os-quota-sets/{}/detail', method: 'GET', path: (st) => `/os-quota-sets/${st.ids.demo}/detail` },
  { route: 'GET /os-quota-sets/{}/defaults', method: 'GET', path: (st) => `/os-quota-sets/${st.ids.demo}/defaults` },
  { route: 'PUT /os-quota-sets/{}', method: 'PUT', path: (st) => `/os-quota-sets/${st.ids.demo}`, body: () => ({ quota_set: { instances: 20, cores: 40, ram: 65536 } }) },
  { route: 'DELETE /os-quota-sets/{}', method: 'DELETE', path: (st) => `/os-quota-sets/${st.ids.demo}` },
  { route: 'GET /os-quota-class-sets/{}', method: 'GET', path: () => '/os-quota-class-sets/default' },
  { route: 'PUT /os-quota-class-sets/{}', method: 'PUT', path: () => '/os-quota-class-sets/default', body: () => ({ quota_class_set: { instances: 1000 } }) },
  { route: 'GET /limits', method: 'GET', path: () => '/limits' },
];

async function flavor(r: Runner): Promise<void> {
  await r.need('flavor', async () => (await r.cli(['flavor', 'create', `cf-${r.st.tag}`, '--vcpus', '1', '--ram', '512', '--disk', '1'])).flavor.id);
}
async function flavorSpecs(r: Runner): Promise<void> {
  await flavor(r);
  if (!r.has('POST /flavors/{}/os-extra_specs')) await r.cli(['flavor', 'set', r.st.ids.flavor, '--property', 'hw:cpu_policy=shared', '--property', 'hw:numa_nodes=1']);
}
async function privateFlavor(r: Runner): Promise<void> {
  await r.need('privateFlavor', async () => (await r.cli(['flavor', 'create', `cp-${r.st.tag}`, '--vcpus', '1', '--ram', '512', '--disk', '1', '--private'])).flavor.id);
}
async function keypair(r: Runner): Promise<void> {
  await r.need('keypair', async () => (await r.cli(['keypair', 'create', `ck-${r.st.tag}`])).keypair.name);
}
async function group(r: Runner): Promise<void> {
  await r.need('group', async () => (await r.cli(['server-group', 'create', `cg-${r.st.tag}`, '--policy', 'anti-affinity'])).server_group.id);
}
async function aggregate(r: Runner): Promise<void> {
  await r.need('aggregate', async () => String((await r.cli(['aggregate', 'create', `ca-${r.st.tag}`, '--zone', `caz-${r.st.tag}`])).aggregate.id));
}
