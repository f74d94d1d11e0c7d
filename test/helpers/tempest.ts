/**
 * Tempest's compute response schemas as the conformance oracle. scripts/tempest-schemas.py
 * dumps them (with each client's microversion → schema-module table) to JSON once per test run,
 * into $NOVALITE_TEST_STATE or the temp dir; `validateCompute` then checks a response the way
 * tempest's rest_client.validate_response does: the status must be one of the schema's
 * status_code, a schema without response_body means an empty body, the body validates as
 * JSON Schema draft 4 with tempest's formats, and the headers against response_header.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv-draft-04';
import { ROOT } from './cli';

export const PYTHON = '/usr/bin/python3';
export const TEMPEST_SCHEMA_DIR = '/usr/lib/python3/dist-packages/tempest/lib/api_schema/response/compute';
const SCRIPT = path.join(ROOT, 'scripts', 'tempest-schemas.py');

export interface TempestSchema { status_code: number[]; response_body?: object; response_header?: object }
export interface TempestClient { versions: Array<{ min: string | null; max: string | null; module: string }>; uses: Record<string, string[]> }
export interface TempestDoc { tempest: string | null; schemas: Record<string, Record<string, TempestSchema>>; clients: Record<string, TempestClient> }

/**
 * Which schema: `{client: 'servers', name: 'get_server', mv: '2.47'}` picks the module the way
 * the tempest client does for that microversion (its schema_versions_info, or the fixed module
 * its code uses for that name); `{module: 'v2_1.servers', name}` names one directly. Strings:
 * 'servers:get_server@2.47', 'v2_1.servers:delete_server'. Without mv, tempest's default (2.1).
 */
export type SchemaRef = string | { client?: string; module?: string; name: string; mv?: string };

/** Why the oracle is unavailable (tempest or /usr/bin/python3 missing), or null when it is there. */
export function tempestMissing(): string | null {
  if (!fs.existsSync(PYTHON)) return `${PYTHON} is missing`;
  if (!fs.existsSync(TEMPEST_SCHEMA_DIR)) return `tempest is not installed (${TEMPEST_SCHEMA_DIR})`;
  return null;
}

let loaded: TempestDoc | undefined;

/** The dumped schemas, generated on first use in this run (the file name keys the script and the installed tempest). */
export function tempestSchemas(): TempestDoc {
  if (loaded) return loaded;
  const missing = tempestMissing();
  if (missing) throw new Error(`${missing}: run scripts/ci/openstack-clients.sh as root (it installs tempest and the clients)`);
  const key = createHash('sha1').update(fs.readFileSync(SCRIPT)).update(String(fs.statSync(TEMPEST_SCHEMA_DIR).mtimeMs)).digest('hex').slice(0, 12);
  const dir = process.env.NOVALITE_TEST_STATE || os.tmpdir();
  const file = path.join(dir, `tempest-schemas-${key}.json`);
  if (!fs.existsSync(file)) {
    const r = spawnSync(PYTHON, [SCRIPT, file], { env: { PATH: '/usr/bin:/bin', HOME: os.tmpdir() }, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`${PYTHON} ${SCRIPT} failed (${r.status ?? r.signal}): ${r.stderr || r.error}`);
  }
  loaded = JSON.parse(fs.readFileSync(file, 'utf8')) as TempestDoc;
  return loaded;
}

function cmp(a: string, b: string): number {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  return x[0] - y[0] || x[1] - y[1];
}

function parseRef(ref: SchemaRef): { client?: string; module?: string; name: string; mv?: string } {
  if (typeof ref !== 'string') return ref;
  const m = /^([\w.]+):(\w+)(?:@(\d+\.\d+))?$/.exec(ref);
  if (!m) throw new Error(`bad schema reference ${JSON.stringify(ref)}`);
  return m[1].includes('.') ? { module: m[1], name: m[2], mv: m[3] } : { client: m[1], name: m[2], mv: m[3] };
}

/** The module tempest's client `client` picks for microversion `mv` (BaseComputeClient.get_schema). */
export function clientModule(client: string, mv?: string): string | null {
  const info = tempestSchemas().clients[client];
  if (!info) throw new Error(`tempest has no compute client ${client}`);
  const hit = info.versions.find((e) => (mv === undefined ? e.min === null : (e.min === null || cmp(mv, e.min) >= 0) && (e.max === null || cmp(mv, e.max) <= 0)));
  return hit?.module ?? null;
}

/** Resolves a reference to `module.name` and the schema itself. */
export function resolveSchema(ref: SchemaRef): { id: string; schema: TempestSchema } {
  const r = parseRef(ref);
  const doc = tempestSchemas();
  let module = r.module;
  if (!module) {
    const info = doc.clients[r.client ?? ''];
    if (!info) throw new Error(`tempest has no compute client ${r.client}`);
    const uses = info.uses[r.name] ?? [];
    const fixed = uses.filter((u) => u !== 'versioned');
    if (uses.includes('versioned') || (fixed.length === 0 && info.versions.length > 0)) module = clientModule(r.client!, r.mv) ?? undefined;
    else if (fixed.length === 1) module = fixed[0];
    else throw new Error(`tempest client ${r.client} uses ${r.name} from ${fixed.join(', ') || 'nowhere'}: name the module`);
  }
  const schema = module ? doc.schemas[module]?.[r.name] : undefined;
  if (!schema) throw new Error(`tempest has no schema ${module}.${r.name}`);
  return { id: `${module}.${r.name}`, schema };
}

// oslo's parse_isotime (the iso8601 library): YYYY[-MM[-DD[( |T)hh[:mm[:ss[.f]]][Z|±hh[:mm]]]]]
const ISO8601 = /^(\d{4})(?:-?(\d{1,2})(?:-?(\d{1,2})(?:[ T](\d{2})(?::?(\d{2}))?(?::?(\d{1,2})(?:[.,]\d+)?)?(Z|[-+]\d{2}:?(?:\d{2})?)?)?)?)?$/;

function isIso8601(s: string): boolean {
  const m = ISO8601.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, se] = [m[1], m[2] ?? '1', m[3] ?? '1', m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, se));
  return t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && h < 24 && mi < 60 && se < 60;
}

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function validator(id: string, schema: object): ValidateFunction {
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, validateFormats: true });
    ajv.addFormat('iso8601-date-time', isIso8601);
    ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:[^\s]*$/i);
    ajv.addFormat('ipv4', (s: string) => isIPv4(s));
    ajv.addFormat('ipv6', (s: string) => isIPv6(s));
    ajv.addFormat('base64', (s: string) => /^[A-Za-z0-9+/\s]*={0,2}$/.test(s) && s.replace(/[^A-Za-z0-9+/=]/g, '').length % 4 === 0);
  }
  let v = compiled.get(id);
  if (!v) { v = ajv.compile(schema); compiled.set(id, v); }
  return v;
}

function errorsOf(v: ValidateFunction, where: string): string[] {
  return (v.errors ?? []).map((e) => `${where}${e.instancePath || ''} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`);
}

export interface ComputeCheck { schema: string; errors: string[] }

/**
 * Where Nova changed a response after the last microversion the installed tempest models, a
 * test may widen tempest's schema for that microversion (a deep copy; `notes` name the changes
 * and become part of the reported schema id).
 */
export type SchemaAdjuster = (id: string, mv: string | undefined, schema: TempestSchema) => { schema: TempestSchema; notes: string[] } | null;

/**
 * Checks one compute response like tempest (plus the microversion echo BaseComputeClient asserts
 * when a microversion was requested). `body` is the parsed JSON (undefined or '' when empty).
 */
export function validateCompute(ref: SchemaRef, status: number, body: unknown, headers: Record<string, string | string[] | number | undefined> = {}, adjust?: SchemaAdjuster): ComputeCheck {
  const r = parseRef(ref);
  const resolved = resolveSchema(r);
  const widened = adjust?.(resolved.id, r.mv, resolved.schema);
  const id = widened?.notes.length ? `${resolved.id} + ${widened.notes.join(' + ')}` : resolved.id;
  const schema = widened?.notes.length ? widened.schema : resolved.schema;
  const errors: string[] = [];
  if (!schema.status_code.includes(status)) errors.push(`status ${status} is not one of ${schema.status_code.join(', ')}`);
  const empty = body === undefined || body === null || body === '' || (typeof body === 'object' && Object.keys(body as object).length === 0 && !Array.isArray(body));
  if (schema.response_body) {
    const v = validator(`${id}#body`, schema.response_body);
    if (!v(body)) errors.push(...errorsOf(v, 'body'));
  } else if (!empty) {
    errors.push(`the response body should be empty, got ${JSON.stringify(body).slice(0, 200)}`);
  }
  const lower: Record<string, string> = {};
  for (const [k, val] of Object.entries(headers)) if (val !== undefined) lower[k.toLowerCase()] = Array.isArray(val) ? val.join(', ') : String(val);
  if (schema.response_header) {
    const v = validator(`${id}#header`, schema.response_header);
    if (!v(lower)) errors.push(...errorsOf(v, 'header'));
  }
  if (r.mv && lower['x-openstack-nova-api-version'] !== r.mv) {
    errors.push(`X-OpenStack-Nova-API-Version is ${lower['x-openstack-nova-api-version'] ?? 'missing'}, requested ${r.mv}`);
  }
  return { schema: id, errors };
}

/** validateCompute, throwing a readable error (with the body) when the response does not conform. */
export function expectCompute(ref: SchemaRef, res: { status: number; body: unknown; headers: Record<string, string | string[] | number | undefined> }, what = ''): string {
  const c = validateCompute(ref, res.status, res.body, res.headers);
  if (c.errors.length) {
    throw new Error(`${what ? `${what}: ` : ''}response does not conform to tempest ${c.schema}:\n  ${c.errors.join('\n  ')}\nbody: ${JSON.stringify(res.body, null, 1)?.slice(0, 3000)}`);
  }
  return c.schema;
}
