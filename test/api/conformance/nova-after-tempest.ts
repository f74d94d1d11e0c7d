/**
 * What Nova's REST API changed after the microversions the installed tempest (33.0.0) models.
 * Its schemas stop at v2_79 and some clients validate with a fixed v2_1 schema at every
 * microversion, so a Nova-conformant answer at a later microversion would fail them. Each entry
 * widens tempest's schema for exactly the change nova/api/openstack/compute/
 * rest_api_version_history.rst documents, from that microversion on (fields Nova dropped are
 * then refused, not just optional); nothing else is relaxed.
 */
import type { SchemaAdjuster, TempestSchema } from '../../helpers/tempest';

const cmpMv = (a: string, b: string) => {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  return x[0] - y[0] || x[1] - y[1];
};

type Obj = { properties?: Record<string, unknown>; required?: string[] };
interface Change {
  /** `module.name` of the tempest schema (module without the version: any version of it). */
  schema: RegExp;
  from: string;
  note: string;
  /** Path of the object schema to change, under the tempest schema. */
  at: string[];
  add?: Record<string, unknown>;
  /** Fields Nova stopped returning: no longer required, and (additionalProperties being false) refused. */
  remove?: string[];
}

const str = { type: ['string', 'null'] };
const links = { type: 'array', items: { type: 'object' } };
const HYPERVISOR_DROPPED = ['current_workload', 'cpu_info', 'vcpus', 'vcpus_used', 'free_disk_gb', 'local_gb', 'local_gb_used', 'disk_available_least', 'free_ram_mb', 'memory_mb', 'memory_mb_used', 'running_vms'];

export const CHANGES: Change[] = [
  { schema: /\.servers\.list_instance_actions$/, from: '2.58', note: '2.58 instance-action updated_at', at: ['response_body', 'properties', 'instanceActions', 'items'], add: { updated_at: str } },
  { schema: /\.servers\.list_instance_actions$/, from: '2.58', note: '2.58 instance-action paging links', at: ['response_body'], add: { links } },
  { schema: /\.servers\.show_instance_action$/, from: '2.84', note: '2.84 event details', at: ['response_body', 'properties', 'instanceAction', 'properties', 'events', 'items'], add: { details: str } },
  { schema: /\.migrations\.list_migrations$/, from: '2.59', note: '2.59 migrations_links', at: ['response_body'], add: { migrations_links: links } },
  { schema: /\.migrations\.list_migrations$/, from: '2.80', note: '2.80 migration user_id/project_id', at: ['response_body', 'properties', 'migrations', 'items'], add: { user_id: str, project_id: str } },
  { schema: /\.hypervisors\.list_hypervisors_detail$/, from: '2.88', note: '2.88 hypervisor fields removed, uptime added', at: ['response_body', 'properties', 'hypervisors', 'items'], remove: HYPERVISOR_DROPPED, add: { uptime: str } },
  { schema: /\.hypervisors\.get_hypervisor$/, from: '2.88', note: '2.88 hypervisor fields removed, uptime added', at: ['response_body', 'properties', 'hypervisor'], remove: HYPERVISOR_DROPPED, add: { uptime: str } },
];

export const novaAfterTempest: SchemaAdjuster = (id, mv, schema) => {
  const hits = CHANGES.filter((c) => c.schema.test(id) && mv !== undefined && cmpMv(mv, c.from) >= 0);
  if (!hits.length) return null;
  const copy = JSON.parse(JSON.stringify(schema)) as TempestSchema;
  for (const c of hits) {
    let o: any = copy;
    for (const k of c.at) o = o?.[k];
    if (!o || typeof o !== 'object') throw new Error(`${id} has no ${c.at.join('/')} for the ${c.note} change`);
    const obj = o as Obj;
    if (c.add) obj.properties = { ...(obj.properties ?? {}), ...c.add };
    for (const k of c.remove ?? []) delete obj.properties?.[k];
    if (c.remove && obj.required) obj.required = obj.required.filter((k) => !c.remove!.includes(k));
  }
  return { schema: copy, notes: hits.map((c) => c.note) };
};
