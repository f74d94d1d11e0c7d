/**
 * Conformance steps for the admin APIs, run while the scenario's server exists: hypervisors,
 * compute services (legacy and 2.53 forms, force-down and an evacuation off a downed host),
 * os-hosts, migrations, usage, external events and the deprecated image proxy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cmpMv, Prerequisite, type Runner, type State, type Step } from './runner';

const gte = (mv: string, v: string) => cmpMv(mv, v) >= 0;
const svcBody = (extra: Record<string, unknown> = {}) => () => ({ host: 'h2', binary: 'nova-compute', ...extra });
const legacy = (name: string, body: () => unknown, min?: string): Step => ({
  route: [`PUT /os-services/${name}`, 'PUT /os-services/{}'], variant: name, method: 'PUT', min, max: '2.52', path: () => `/os-services/${name}`, body,
});
const update = (body: Record<string, unknown>): Step => ({
  route: 'PUT /os-services/{}', variant: 'update', method: 'PUT', min: '2.53', path: (st) => `/os-services/${st.ids.serviceH2}`, before: serviceH2, body: () => body,
});
const RANGE = 'start=2000-01-01T00:00:00&end=2100-01-01T00:00:00';

export const ADMIN_STEPS: Step[] = [
  // hypervisors
  {
    route: 'GET /os-hypervisors', method: 'GET', path: () => '/os-hypervisors',
    after: (res, r) => { r.st.ids.hypervisor = String(res.body.hypervisors.find((h: { hypervisor_hostname: string }) => h.hypervisor_hostname === 'h1')?.id); },
  },
  { route: 'GET /os-hypervisors', method: 'GET', min: '2.53', path: () => '/os-hypervisors?hypervisor_hostname_pattern=h1&with_servers=true' },
  { route: 'GET /os-hypervisors/detail', method: 'GET', path: () => '/os-hypervisors/detail' },
  { route: 'GET /os-hypervisors/{}', method: 'GET', path: (st) => `/os-hypervisors/${st.ids.hypervisor}`, before: hypervisor },
  { route: 'GET /os-hypervisors/statistics', method: 'GET', max: '2.87', path: () => '/os-hypervisors/statistics' },
  { route: 'GET /os-hypervisors/{}/uptime', method: 'GET', max: '2.87', path: (st) => `/os-hypervisors/${st.ids.hypervisor}/uptime`, before: hypervisor, allow: [501] },
  { route: 'GET /os-hypervisors/{}/search', method: 'GET', max: '2.52', path: () => '/os-hypervisors/h1/search' },
  { route: 'GET /os-hypervisors/{}/servers', method: 'GET', max: '2.52', path: () => '/os-hypervisors/h1/servers' },

  // compute services
  {
    route: 'GET /os-services', method: 'GET', path: () => '/os-services', before: doomedHost,
    after: (res, r) => {
      const find = (host: string) => res.body.services.find((x: { host: string; binary: string }) => x.host === host && x.binary === 'nova-compute')?.id;
      r.st.ids.serviceH2 = String(find('h2'));
      r.st.ids.serviceDoomed = String(find(`hdel-${r.st.tag}`));
    },
  },
  { route: 'GET /os-services', method: 'GET', path: () => '/os-services?host=h1&binary=nova-compute' },
  legacy('disable', svcBody()),
  legacy('disable-log-reason', svcBody({ disabled_reason: 'conformance' })),
  legacy('enable', svcBody()),
  legacy('force-down', svcBody({ forced_down: true }), '2.11'),
  update({ status: 'disabled', disabled_reason: 'conformance' }),
  update({ status: 'enabled' }),
  update({ forced_down: true }),
  {
    route: 'POST /servers/{}/action', method: 'POST', path: (st) => `/servers/${st.ids.evac}/action`,
    before: async (r) => { await upAgain(r); await r.needServer('ACTIVE', 'evac', ['--host', 'h2']); await r.cloud.ctx.hosts.setForcedDown('h2', true); },
    body: (st) => ({ evacuate: gte(st.mv, '2.14') ? {} : { onSharedStorage: false } }),
    after: async (_res, r) => { await r.waitServer(['ACTIVE'], r.st.ids.evac); },
    finally: upAgain,
  },
  legacy('force-down', svcBody({ forced_down: false }), '2.11'),
  update({ forced_down: false }),
  { route: 'DELETE /os-services/{}', method: 'DELETE', path: (st) => `/os-services/${st.ids.serviceDoomed}`, before: serviceDoomed },
  { route: 'GET /os-hosts', method: 'GET', max: '2.42', path: () => '/os-hosts' },
  { route: 'GET /os-hosts/{}', method: 'GET', max: '2.42', path: () => '/os-hosts/h1' },

  // migrations, usage, events
  { route: 'GET /os-migrations', method: 'GET', path: () => '/os-migrations' },
  { route: 'GET /os-migrations', method: 'GET', min: '2.59', path: (st) => `/os-migrations?limit=1&instance_uuid=${st.ids.server ?? ''}` },
  // a project without usage in the period is `{"tenant_usage": {}}` in Nova, which tempest's schema refuses: a server runs first
  { route: 'GET /os-simple-tenant-usage', method: 'GET', path: () => `/os-simple-tenant-usage?${RANGE}&detailed=1`, before: running },
  { route: 'GET /os-simple-tenant-usage/{}', method: 'GET', path: (st) => `/os-simple-tenant-usage/${st.ids.admin}?${RANGE}`, before: running },
  {
    route: 'POST /os-server-external-events', method: 'POST', path: () => '/os-server-external-events', before: running,
    body: (st) => ({ events: [{ name: 'network-changed', server_uuid: st.ids.server, tag: 'port-1' }] }),
  },

  // the image proxy (deprecated in 2.36)
  { route: 'GET /images', method: 'GET', max: '2.35', path: () => '/images', before: tmpImage },
  { route: 'GET /images/detail', method: 'GET', max: '2.35', path: () => '/images/detail' },
  { route: 'GET /images/{}', method: 'GET', max: '2.35', path: (st) => `/images/${st.ids.tmpImage}`, before: tmpImage },
  { route: 'PUT /images/{}/metadata', method: 'PUT', max: '2.35', path: (st) => `/images/${st.ids.tmpImage}/metadata`, before: tmpImage, body: () => ({ metadata: { a: '1', b: '2' } }) },
  { route: 'POST /images/{}/metadata', method: 'POST', max: '2.35', path: (st) => `/images/${st.ids.tmpImage}/metadata`, before: tmpImage, body: () => ({ metadata: { c: '3' } }) },
  { route: 'GET /images/{}/metadata', method: 'GET', max: '2.35', path: (st) => `/images/${st.ids.tmpImage}/metadata`, before: tmpImage },
  { route: 'GET /images/{}/metadata/{}', method: 'GET', max: '2.35', path: (st) => `/images/${st.ids.tmpImage}/metadata/a`, before: tmpImageMeta },
  { route: 'PUT /images/{}/metadata/{}', method: 'PUT', max: '2.35', path: (st) => `/images/${st.ids.tmpImage}/metadata/a`, before: tmpImageMeta, body: () => ({ meta: { a: 'x' } }) },
  { route: 'DELETE /images/{}/metadata/{}', method: 'DELETE', max: '2.35', path: (st) => `/images/${st.ids.tmpImage}/metadata/c`, before: tmpImageMeta },
  { route: 'DELETE /images/{}', method: 'DELETE', max: '2.35', path: (st) => `/images/${st.ids.tmpImage}`, before: tmpImage },
  { route: 'GET /images/{}', method: 'GET', min: '2.36', path: (st: State) => `/images/${st.ids.image}`, expect: [404] },
];

async function running(r: Runner): Promise<void> {
  await r.needServer('ACTIVE');
}
async function hypervisor(r: Runner): Promise<void> {
  if (!r.st.ids.hypervisor || r.st.ids.hypervisor === 'undefined') throw new Prerequisite('no hypervisor id (GET /os-hypervisors did not name h1)');
}
async function doomedHost(r: Runner): Promise<void> {
  await r.need('doomedHost', async () => (await r.cli(['host', 'add', `hdel-${r.st.tag}`, '--driver', 'fake', '--vcpus', '1', '--memory-mb', '1024', '--disk-gb', '10'])).host?.name ?? `hdel-${r.st.tag}`);
}
async function serviceH2(r: Runner): Promise<void> {
  if (!r.st.ids.serviceH2 || r.st.ids.serviceH2 === 'undefined') throw new Prerequisite('no service id of h2 (GET /os-services)');
}
async function serviceDoomed(r: Runner): Promise<void> {
  if (!r.st.ids.serviceDoomed || r.st.ids.serviceDoomed === 'undefined') throw new Prerequisite(`no service id of hdel-${r.st.tag} (GET /os-services)`);
}
/** Whatever the service steps did, h2 is up and enabled again for the rest. */
async function upAgain(r: Runner): Promise<void> {
  await r.cloud.ctx.hosts.setForcedDown('h2', false);
  await r.cloud.ctx.hosts.setEnabled('h2', true);
}
async function tmpImage(r: Runner): Promise<void> {
  await r.need('tmpImage', async () => {
    const file = path.join(r.cloud.env.HOME, `tiny-${r.st.tag}.img`);
    fs.writeFileSync(file, 'tiny image\n');
    return (await r.cli(['image', 'create', `ci-${r.st.tag}`, '--file', file])).image.id;
  });
}
async function tmpImageMeta(r: Runner): Promise<void> {
  await tmpImage(r);
  if (!r.has('PUT /images/{}/metadata')) await r.cli(['image', 'set', r.st.ids.tmpImage, '--property', 'a=1', '--property', 'c=3']);
}
