/**
 * Conformance steps for a server's life: create and wait, list/show/update, addresses,
 * metadata, tags, instance actions, password, consoles, and every action Nova has on
 * `POST /servers/{id}/action` in an order the states allow (each action waits for the status
 * Nova reaches; a precondition it cannot reach is repaired through the CLI).
 */
import { cmpMv, type Runner, type State, type Step } from './runner';

const gte = (mv: string, v: string) => cmpMv(mv, v) >= 0;
const sid = (st: State) => st.ids.server;
const active = (r: Runner) => r.needServer('ACTIVE').then(() => undefined);
const waitFor = (...want: string[]) => async (_res: unknown, r: Runner) => { await r.waitServer(want); };

/** `POST /servers/{id}/action` with `{name: body}`. */
function act(name: string, body: (st: State) => unknown, o: Partial<Step> & { then?: string[] } = {}): Step {
  const { then, ...rest } = o;
  return {
    route: 'POST /servers/{}/action', method: 'POST', path: (st) => `/servers/${sid(st)}/action`,
    body: (st) => ({ [name]: body(st) }), before: active, ...(then ? { after: waitFor(...then) } : {}), ...rest,
  };
}
const nil = () => null;

export const SERVER_STEPS: Step[] = [
  {
    route: 'POST /servers', method: 'POST', path: () => '/servers',
    body: (st) => ({
      server: {
        name: `vm-${st.tag}`, imageRef: st.ids.image, flavorRef: st.ids.flavorSmall, metadata: { role: 'conformance' },
        ...(gte(st.mv, '2.37') ? { networks: 'none' } : {}), ...(gte(st.mv, '2.19') ? { description: 'conformance server' } : {}),
        ...(gte(st.mv, '2.52') ? { tags: ['created'] } : {}),
      },
    }),
    after: async (res, r) => { r.st.ids.server = res.body.server.id; await r.waitServer(['ACTIVE']); },
  },
  { route: 'GET /servers', method: 'GET', path: () => '/servers', before: active },
  { route: 'GET /servers', method: 'GET', path: () => '/servers?limit=1' },
  { route: 'GET /servers/detail', method: 'GET', path: () => '/servers/detail' },
  { route: 'GET /servers/detail', method: 'GET', path: () => '/servers/detail?status=ACTIVE&changes-since=2000-01-01T00:00:00Z&limit=1' },
  { route: 'GET /servers/{}', method: 'GET', path: (st) => `/servers/${sid(st)}`, before: active },
  { route: 'GET /servers/{}', method: 'GET', path: () => '/servers/00000000-0000-4000-8000-000000000000', expect: [404] },
  { route: 'PUT /servers/{}', method: 'PUT', path: (st) => `/servers/${sid(st)}`, before: active, body: (st) => ({ server: { name: `vm-${st.tag}-renamed`, ...(gte(st.mv, '2.19') ? { description: 'renamed' } : {}) } }) },
  {
    route: 'GET /servers/{}/ips', method: 'GET', path: (st) => `/servers/${sid(st)}/ips`, before: active,
    after: (res, r) => { r.st.ids.network = Object.keys(res.body.addresses ?? {})[0] ?? ''; },
  },
  { route: 'GET /servers/{}/ips/{}', method: 'GET', path: (st) => `/servers/${sid(st)}/ips/${st.ids.network || 'no-such-network'}`, before: active, expect: (st) => (st.ids.network ? undefined : [404]) },

  // metadata
  { route: 'PUT /servers/{}/metadata', method: 'PUT', path: (st) => `/servers/${sid(st)}/metadata`, before: active, body: () => ({ metadata: { a: '1', b: '2' } }) },
  { route: 'POST /servers/{}/metadata', method: 'POST', path: (st) => `/servers/${sid(st)}/metadata`, before: active, body: () => ({ metadata: { c: '3' } }) },
  { route: 'GET /servers/{}/metadata', method: 'GET', path: (st) => `/servers/${sid(st)}/metadata`, before: active },
  { route: 'GET /servers/{}/metadata/{}', method: 'GET', path: (st) => `/servers/${sid(st)}/metadata/a`, before: metaItems },
  { route: 'PUT /servers/{}/metadata/{}', method: 'PUT', path: (st) => `/servers/${sid(st)}/metadata/a`, before: metaItems, body: () => ({ meta: { a: 'x' } }) },
  { route: 'DELETE /servers/{}/metadata/{}', method: 'DELETE', path: (st) => `/servers/${sid(st)}/metadata/c`, before: metaItems },

  // tags (2.26)
  { route: 'PUT /servers/{}/tags', method: 'PUT', min: '2.26', path: (st) => `/servers/${sid(st)}/tags`, before: active, body: () => ({ tags: ['t1', 't2'] }) },
  { route: 'GET /servers/{}/tags', method: 'GET', min: '2.26', path: (st) => `/servers/${sid(st)}/tags`, before: active },
  { route: 'PUT /servers/{}/tags/{}', method: 'PUT', min: '2.26', path: (st) => `/servers/${sid(st)}/tags/t3`, before: active },
  { route: 'GET /servers/{}/tags/{}', method: 'GET', min: '2.26', path: (st) => `/servers/${sid(st)}/tags/t3`, before: active },
  { route: 'DELETE /servers/{}/tags/{}', method: 'DELETE', min: '2.26', path: (st) => `/servers/${sid(st)}/tags/t3`, before: active },
  { route: 'GET /servers/{}/tags/{}', method: 'GET', min: '2.26', path: (st) => `/servers/${sid(st)}/tags/t3`, before: active, expect: [404] },
  { route: 'DELETE /servers/{}/tags', method: 'DELETE', min: '2.26', path: (st) => `/servers/${sid(st)}/tags`, before: active },

  // instance actions, password, diagnostics, consoles
  {
    route: 'GET /servers/{}/os-instance-actions', method: 'GET', path: (st) => `/servers/${sid(st)}/os-instance-actions`, before: active,
    after: (res, r) => { r.st.ids.requestId = res.body.instanceActions?.[0]?.request_id; },
  },
  { route: 'GET /servers/{}/os-instance-actions/{}', method: 'GET', path: (st) => `/servers/${sid(st)}/os-instance-actions/${st.ids.requestId}`, before: requestId },
  { route: 'GET /servers/{}/os-server-password', method: 'GET', path: (st) => `/servers/${sid(st)}/os-server-password`, before: active },
  { route: 'DELETE /servers/{}/os-server-password', method: 'DELETE', path: (st) => `/servers/${sid(st)}/os-server-password`, before: active },
  { route: 'GET /servers/{}/diagnostics', method: 'GET', path: (st) => `/servers/${sid(st)}/diagnostics`, before: active, allow: [501] },
  { route: 'POST /servers/{}/remote-consoles', method: 'POST', min: '2.6', path: (st) => `/servers/${sid(st)}/remote-consoles`, before: active, body: () => ({ remote_console: { protocol: 'vnc', type: 'novnc' } }), allow: [400, 409, 501] },
  { route: 'GET /servers/{}/os-security-groups', method: 'GET', path: (st) => `/servers/${sid(st)}/os-security-groups`, before: active },
  act('os-getConsoleOutput', () => ({ length: 5 })),
  act('os-getVNCConsole', () => ({ type: 'novnc' }), { max: '2.5', allow: [400, 409, 501] }),

  // power and state
  act('reboot', () => ({ type: 'SOFT' }), { then: ['ACTIVE'] }),
  act('reboot', () => ({ type: 'HARD' }), { then: ['ACTIVE'] }),
  act('os-stop', nil, { then: ['SHUTOFF'] }),
  act('os-start', nil, { before: (r) => r.needServer('SHUTOFF').then(() => undefined), then: ['ACTIVE'] }),
  act('pause', nil, { then: ['PAUSED'] }),
  act('unpause', nil, { before: undefined, then: ['ACTIVE'] }),
  act('suspend', nil, { then: ['SUSPENDED'] }),
  act('resume', nil, { before: undefined, then: ['ACTIVE'] }),
  act('lock', (st) => (gte(st.mv, '2.73') ? { locked_reason: 'conformance' } : null)),
  act('unlock', nil),
  act('rescue', () => ({}), { then: ['RESCUE'] }),
  act('unrescue', nil, { before: undefined, then: ['ACTIVE'] }),
  act('os-resetState', () => ({ state: 'active' }), { then: ['ACTIVE'] }),
  act('injectNetworkInfo', nil),
  act('trigger_crash_dump', nil, { min: '2.17', allow: [400, 409] }),
  act('changePassword', () => ({ adminPass: 'Conformance-pw1' }), { allow: [409, 501] }),
  act('restore', nil, { expect: [409] }),

  // moves
  act('resize', (st) => ({ flavorRef: st.ids.flavorBig }), { then: ['VERIFY_RESIZE'] }),
  act('confirmResize', nil, { before: undefined, then: ['ACTIVE'] }),
  act('resize', (st) => ({ flavorRef: st.ids.flavorMid }), { then: ['VERIFY_RESIZE'] }), // a disk never shrinks: same disk as flavorBig
  act('revertResize', nil, { before: undefined, then: ['ACTIVE'] }),
  act('migrate', nil, { then: ['VERIFY_RESIZE'] }),
  act('confirmResize', nil, { before: undefined, then: ['ACTIVE'] }),
  act('os-migrateLive', (st) => (gte(st.mv, '2.25') ? { host: null, block_migration: 'auto' } : { host: null, block_migration: false, disk_over_commit: false }), { then: ['ACTIVE'] }),
  { route: 'GET /servers/{}/migrations', method: 'GET', min: '2.23', path: (st) => `/servers/${sid(st)}/migrations`, before: active },
  { route: 'GET /servers/{}/migrations/{}', method: 'GET', min: '2.23', path: (st) => `/servers/${sid(st)}/migrations/999999`, before: active, expect: [404] },
  { route: 'POST /servers/{}/migrations/{}/action', method: 'POST', min: '2.22', path: (st) => `/servers/${sid(st)}/migrations/999999/action`, before: active, body: () => ({ force_complete: null }), expect: [400, 404, 409] },
  { route: 'DELETE /servers/{}/migrations/{}', method: 'DELETE', min: '2.24', path: (st) => `/servers/${sid(st)}/migrations/999999`, before: active, expect: [400, 404, 409] },

  // images of the server, rebuild, shelve
  // 501: a cloud whose drivers cannot snapshot says so (the success shape is checked once one can)
  act('createImage', (st) => ({ name: `snap-${st.tag}`, metadata: { purpose: 'conformance' } }), { then: ['ACTIVE'], allow: [501] }),
  act('createBackup', (st) => ({ name: `bk-${st.tag}`, backup_type: 'daily', rotation: 1 }), { then: ['ACTIVE'], allow: [501] }),
  act('rebuild', (st) => ({ imageRef: st.ids.image, name: `vm-${st.tag}-rebuilt` }), { then: ['ACTIVE'] }),
  act('shelve', nil, { then: ['SHELVED', 'SHELVED_OFFLOADED'] }),
  act('shelveOffload', nil, { before: undefined, allow: [409], then: ['SHELVED_OFFLOADED'] }),
  act('unshelve', nil, { before: undefined, then: ['ACTIVE'] }),
  {
    ...act('forceDelete', nil), path: (st) => `/servers/${st.ids.doomed}/action`,
    before: (r) => r.needServer('ACTIVE', 'doomed').then(() => undefined),
    after: async (_res, r) => { await r.waitServer(['DELETED'], r.st.ids.doomed); },
  },
];

/** The last steps: the server goes away (after the admin steps used it). */
export const FINAL_STEPS: Step[] = [
  {
    route: 'DELETE /servers/{}', method: 'DELETE', path: (st) => `/servers/${sid(st)}`, before: active,
    after: async (_res, r) => { await r.waitServer(['DELETED']); },
  },
];

async function metaItems(r: Runner): Promise<void> {
  await active(r);
  if (!r.has('PUT /servers/{}/metadata')) await r.cli(['server', 'set', sid(r.st), '--property', 'a=1', '--property', 'c=3']);
}

async function requestId(r: Runner): Promise<void> {
  await active(r);
  r.st.ids.requestId ??= (await r.cli(['server', 'event', 'list', sid(r.st)])).instanceActions?.[0]?.request_id;
  if (!r.st.ids.requestId) throw new Error('no instance action to show');
}
