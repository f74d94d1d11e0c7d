/**
 * Runs the conformance scenario (scenario-*.ts) at one microversion against an in-process cloud:
 * each step names the route it exercises; a step whose route the server does not register yet
 * is noted as missing (its prerequisites for later steps are then made through the CLI, so one
 * missing route does not hide the others); every response of a registered route is checked
 * against its tempest schema (table.ts) and recorded per route.
 */
import { runCli } from '../../helpers/cli';
import type { ApiCloud, ApiResponse } from '../../helpers/api';
import { validateCompute } from '../../helpers/tempest';
import { routeKey, specOf, type Spec } from './table';
import { novaAfterTempest } from './nova-after-tempest';

export interface Result { route: string; mv: string; label: string; schema: string; errors: string[] }

export interface State {
  mv: string;
  /** Suffix for names made at this microversion (`2_47`). */
  tag: string;
  ids: Record<string, string>;
}

export interface Step {
  /** Route key(s) this step may hit (table.ts); a static alternative first (`PUT /os-services/disable`, then `PUT /os-services/{}`). */
  route: string | string[];
  /** The variant of a multiplexing route (an action name); default: the body's only key for `…/action`. */
  variant?: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Microversions where Nova has this request (inclusive). */
  min?: string;
  max?: string;
  path: (st: State) => string;
  body?: (st: State) => unknown;
  /** Prerequisites (made through the CLI when the routes that would make them are missing). */
  before?: (r: Runner) => Promise<void>;
  /** An error path: one of these statuses with a Nova fault body is the right answer (a function: decided by the state). */
  expect?: number[] | ((st: State) => number[] | undefined);
  /** Besides success, these statuses (with a fault body) are a valid Nova answer (a driver without consoles …). */
  allow?: number[];
  after?: (res: ApiResponse, r: Runner) => Promise<void> | void;
  /** Runs once the step was tried, whatever its outcome (undo a downed host …). */
  finally?: (r: Runner) => Promise<void>;
}

export class Prerequisite extends Error {}

export function cmpMv(a: string, b: string): number {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  return x[0] - y[0] || x[1] - y[1];
}

export function stepApplies(step: Step, mv: string): boolean {
  return (!step.min || cmpMv(mv, step.min) >= 0) && (!step.max || cmpMv(mv, step.max) <= 0);
}

export function stepRoutes(step: Step): string[] {
  return Array.isArray(step.route) ? step.route : [step.route];
}

/** The `adminPass` variant of a schema applies when the response carries one (tempest picks by config). */
function hasAdminPass(body: unknown): boolean {
  if (!body || typeof body !== 'object') return false;
  if ('adminPass' in body) return true;
  return Object.values(body).some((v) => v && typeof v === 'object' && 'adminPass' in (v as object));
}

function checkSpec(spec: Spec, mv: string, res: ApiResponse): { schema: string; errors: string[] } {
  if ('none' in spec) {
    const errors: string[] = [];
    if (!spec.status.includes(res.status)) errors.push(`status ${res.status} is not one of ${spec.status.join(', ')}: ${res.text.slice(0, 300)}`);
    else if (res.status === 204 ? res.text !== '' : res.text !== '' && (typeof res.body !== 'object' || res.body === null)) errors.push(`unexpected body ${res.text.slice(0, 200)}`);
    return { schema: `(${spec.none})`, errors };
  }
  const name = spec.withAdminPass && hasAdminPass(res.body) ? spec.withAdminPass : spec.name;
  const ref = 'client' in spec ? { client: spec.client, name, mv } : { module: spec.module, name, mv };
  return validateCompute(ref, res.status, res.text === '' ? undefined : res.body ?? res.text, res.headers, novaAfterTempest);
}

function faultErrors(res: ApiResponse, statuses: number[]): string[] {
  if (!statuses.includes(res.status)) return [`status ${res.status}, expected ${statuses.join(' or ')}: ${res.text.slice(0, 300)}`];
  const entries = res.body && typeof res.body === 'object' ? Object.values(res.body) : [];
  const f = entries[0] as { code?: number; message?: string } | undefined;
  return entries.length === 1 && f?.code === res.status && typeof f.message === 'string' ? [] : [`not a Nova fault body: ${res.text.slice(0, 300)}`];
}

export class Runner {
  readonly st: State;
  readonly results: Result[] = [];
  readonly missing = new Set<string>();
  private readonly registered: Set<string>;

  constructor(readonly cloud: ApiCloud, mv: string, shared: Record<string, string>) {
    this.st = { mv, tag: mv.replace('.', '_'), ids: { ...shared } };
    this.registered = new Set(cloud.routes.filter((r) => r.service === 'compute').map((r) => routeKey(r.method, r.path)));
  }

  has(key: string): boolean { return this.registered.has(key); }

  record(route: string, label: string, schema: string, errors: string[]): void {
    this.results.push({ route, mv: this.st.mv, label, schema, errors });
  }

  call(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    return this.cloud.call(method, `/v2.1${path}`, { body, mv: this.st.mv });
  }

  /** Runs a novalite command in this cloud's environment; its --json output, or throws. */
  async cli(argv: string[]): Promise<any> {
    const r = await runCli([...argv, '--json'], this.cloud.env);
    if (r.code !== 0) throw new Prerequisite(`novalite ${argv.join(' ')} exited ${r.code}: ${r.stderr.trim().slice(0, 300)}`);
    return r.json;
  }

  /** Polls the server until its status is one of `want` (GET /servers/{} when registered, validated too). */
  async waitServer(want: string[], id = this.st.ids.server, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let status = '?';
    for (;;) {
      if (this.has('GET /servers/{}')) {
        const res = await this.call('GET', `/servers/${id}`);
        if (want.includes('DELETED') && res.status === 404) return 'DELETED';
        const c = checkSpec(specOf('GET /servers/{}')!, this.st.mv, res);
        if (c.errors.length) { this.record('GET /servers/{}', `GET /servers/${id} (while waiting for ${want.join('|')})`, c.schema, c.errors); throw new Prerequisite(`GET /servers/${id} does not conform`); }
        status = res.body.server.status;
      } else {
        const r = await runCli(['server', 'show', id, '--json'], this.cloud.env);
        if (r.code === 3 && want.includes('DELETED')) return 'DELETED';
        status = r.json?.server?.status ?? `exit ${r.code}`;
      }
      if (want.includes(status)) return status;
      if (status === 'ERROR' || Date.now() > deadline) throw new Prerequisite(`server ${id} is ${status}, expected ${want.join(' or ')}`);
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  /** Makes sure ids[key] names a server in `status` (ACTIVE or SHUTOFF), repairing or recreating it through the CLI. */
  async needServer(status: 'ACTIVE' | 'SHUTOFF', key = 'server', createArgs: string[] = []): Promise<string> {
    const id = this.st.ids[key];
    let now: string | undefined;
    if (id) {
      const r = await runCli(['server', 'show', id, '--json'], this.cloud.env);
      now = r.json?.server?.status;
      if (now && now !== status && now !== 'ACTIVE' && now !== 'SHUTOFF') {
        await runCli(['server', 'delete', id, '--force'], this.cloud.env);
        now = undefined;
      }
    }
    if (!now) {
      const made = await this.cli(['server', 'create', `cs-${key}-${this.st.tag}-${Date.now() % 100000}`, '--flavor', this.st.ids.flavorSmall, '--image', this.st.ids.image, '--wait', ...createArgs]);
      this.st.ids[key] = made.server.id;
      now = 'ACTIVE';
    }
    if (now !== status) {
      await this.cli(['server', status === 'ACTIVE' ? 'start' : 'stop', this.st.ids[key], '--wait']);
    }
    return this.st.ids[key];
  }

  /** ids[key], made by `make` (through the CLI) when an earlier step did not make it. */
  async need(key: string, make: () => Promise<string>): Promise<string> {
    this.st.ids[key] ??= await make();
    return this.st.ids[key];
  }

  async run(steps: Step[]): Promise<void> {
    for (const step of steps) {
      if (!stepApplies(step, this.st.mv)) continue;
      const routes = stepRoutes(step);
      const key = routes.find((k) => this.has(k));
      if (!key) { this.missing.add(routes[routes.length - 1]); continue; }
      let label = `${step.method} ${routes[0]}`;
      try {
        if (step.before) await step.before(this);
        const path = step.path(this.st);
        const body = step.body?.(this.st);
        label = `${step.method} ${path}${body && typeof body === 'object' && key.endsWith('/action') ? ` ${Object.keys(body)[0]}` : ''}`;
        const res = await this.call(step.method, path, body);
        const variant = step.variant ?? (key.endsWith('/action') && body && typeof body === 'object' ? Object.keys(body)[0] : undefined);
        let check: { schema: string; errors: string[] };
        const expect = typeof step.expect === 'function' ? step.expect(this.st) : step.expect;
        if (expect) check = { schema: `(error path ${expect.join('|')})`, errors: faultErrors(res, expect) };
        else if (step.allow?.includes(res.status)) check = { schema: `(allowed ${res.status})`, errors: faultErrors(res, step.allow) };
        else {
          const spec = specOf(key, variant);
          check = spec ? checkSpec(spec, this.st.mv, res) : { schema: '?', errors: [`${key}${variant ? ` (${variant})` : ''} has no entry in the conformance table`] };
        }
        this.record(key, label, check.schema, check.errors);
        if (step.after && res.status < 400) await step.after(res, this);
      } catch (e) {
        const msg = e instanceof Prerequisite ? e.message : String((e as Error)?.stack ?? e);
        this.record(key, label, '(scenario)', [`${e instanceof Prerequisite ? 'prerequisite or follow-up failed' : 'step failed'}: ${msg}`]);
      }
      if (step.finally) await step.finally(this).catch((e) => this.record(key, label, '(scenario)', [`cleanup failed: ${e}`]));
    }
  }
}
