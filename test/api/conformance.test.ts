/**
 * Conformance of every compute route with Tempest's response schemas. A realistic scenario
 * (conformance/scenario-*.ts) runs against a fake-driver cloud at each microversion below; each
 * response of a route the server registers is validated against the tempest schema that
 * table.ts names for it, picked per microversion as tempest's client picks it (2.79 and later:
 * the v2_79 schemas). A registered route missing from the table, or never exercised, fails.
 * Routes the scenario has steps for but the server does not register yet are listed (skipped
 * outside CI; under CI=true they are simply not tested until registered).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { apiCloud, type ApiCloud } from '../helpers/api';
import { runCli } from '../helpers/cli';
import { expectCompute, tempestMissing } from '../helpers/tempest';
import { COMPUTE_ROUTES } from '../../src/lib/api/routes';
import { routeKey, TABLE } from './conformance/table';
import { Runner, stepApplies, stepRoutes, type Result, type Step } from './conformance/runner';
import { RESOURCE_STEPS } from './conformance/scenario-resources';
import { FINAL_STEPS, SERVER_STEPS } from './conformance/scenario-servers';
import { ADMIN_STEPS } from './conformance/scenario-admin';

const MVS = ['2.1', '2.25', '2.47', '2.53', '2.61', '2.73', '2.79', '2.92'];
const STEPS: Step[] = [...RESOURCE_STEPS, ...SERVER_STEPS, ...ADMIN_STEPS, ...FINAL_STEPS];
const CI = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());

/**
 * The compute routes the modules define, listed without a server (jest needs them to name the
 * tests before any hook runs; handlers are not run). The test below checks this list against
 * the routes the real app registers.
 */
function definedRoutes(): { keys: string[]; errors: string[] } {
  const stub: any = new Proxy(() => stub, { get: (_t, k) => (k === Symbol.toPrimitive ? () => 0 : k === 'then' ? undefined : stub), apply: () => stub });
  const keys: string[] = [];
  const errors: string[] = [];
  for (const mod of COMPUTE_ROUTES) {
    try { keys.push(...mod(stub).map((d) => routeKey(d.method, `/v2.1${d.url}`))); } catch (e) { errors.push(`${mod.name}: ${e}`); }
  }
  return { keys, errors };
}

const { keys: defined, errors: listingErrors } = definedRoutes();
const registered = new Set(defined);
/** The route a step hits at that microversion (its first registered alternative), if any. */
const chosen = (step: Step) => stepRoutes(step).find((k) => registered.has(k));
const missing = [...new Set(STEPS.filter((s) => !chosen(s)).map((s) => stepRoutes(s).slice(-1)[0]))].sort();

function report(results: Result[]): string {
  return results.filter((r) => r.errors.length).map((r) => `${r.label} [${r.schema}]:\n    ${r.errors.join('\n    ')}`).join('\n  ');
}

const oracle = tempestMissing();
// Without Debian's tempest (the schema oracle) the suite is skipped on a developer machine only;
// under CI=true scripts/test.sh installs it and a missing oracle fails the run.
const suite = oracle && !CI ? describe.skip : describe;

suite(`compute API conformance with tempest's response schemas${oracle && !CI ? ` (skipped: ${oracle}; run scripts/ci/openstack-clients.sh as root)` : ''}`, () => {
  let cloud: ApiCloud;
  const shared: Record<string, string> = {};

  beforeAll(async () => {
    if (oracle) throw new Error(`${oracle}: under CI the tempest schemas are required (scripts/test.sh runs scripts/ci/openstack-clients.sh)`);
    if (missing.length) process.stderr.write(`conformance: ${missing.length} route(s) of the scenario not registered yet:\n  ${missing.join('\n  ')}\n`);
    const img = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nl-conf-')), 'cirros.img');
    fs.writeFileSync(img, 'not really a disk image\n');
    const host = (n: string) => ['host', 'add', n, '--driver', 'fake', '--vcpus', '64', '--memory-mb', '131072', '--disk-gb', '2000'];
    cloud = await apiCloud({
      steps: [host('h1'), host('h2'), host('h3'), ['flavor', 'create', 'f1', '--vcpus', '1', '--ram', '512', '--disk', '1'],
        ['flavor', 'create', 'f2', '--vcpus', '2', '--ram', '1024', '--disk', '2'], ['flavor', 'create', 'f3', '--vcpus', '1', '--ram', '768', '--disk', '2'], ['project', 'create', 'demo'], ['image', 'create', 'cirros', '--file', img],
        ['quota', 'set', '--project', 'admin', '--instances=-1', '--cores=-1', '--ram=-1', '--server-groups=-1', '--key-pairs=-1']],
    });
    const show = async (argv: string[]) => (await runCli([...argv, '--json'], cloud.env)).json;
    shared.image = (await show(['image', 'show', 'cirros'])).image.id;
    shared.flavorSmall = (await show(['flavor', 'show', 'f1'])).flavor.id;
    shared.flavorBig = (await show(['flavor', 'show', 'f2'])).flavor.id;
    shared.flavorMid = (await show(['flavor', 'show', 'f3'])).flavor.id;
    shared.demo = (await cloud.ctx.projects.resolve('demo')).id;
    shared.admin = (await cloud.ctx.projects.resolve('admin')).id;
  }, 120_000);
  afterAll(async () => { await cloud?.close(); });

  it('every compute route the server registers is in the conformance table and exercised by the scenario', () => {
    const unlisted = defined.filter((k) => !(k in TABLE));
    const unexercised = defined.filter((k) => k in TABLE && !STEPS.some((s) => chosen(s) === k && MVS.some((mv) => stepApplies(s, mv))));
    expect({ unlisted, unexercised }).toEqual({ unlisted: [], unexercised: [] });
  });

  it('every scenario step names routes of the table', () => {
    expect(STEPS.flatMap(stepRoutes).filter((k) => !(k in TABLE))).toEqual([]);
  });

  it('the routes listed here are the ones the app registers (apiCloud().routes)', () => {
    expect(listingErrors).toEqual([]);
    expect(cloud.routes.filter((r) => r.service === 'compute').map((r) => routeKey(r.method, r.path)).sort()).toEqual([...defined].sort());
  });

  it('GET / (the compute root) validates as versions list_versions, GET /v2.1/ as get_one_version', async () => {
    const root = await cloud.call('GET', '/');
    expectCompute('versions:list_versions', root, 'GET /');
    const one = await cloud.call('GET', '/v2.1/');
    expectCompute('versions:get_one_version', one, 'GET /v2.1/');
  });

  for (const mv of MVS) {
    describe(`at microversion ${mv}`, () => {
      let runner: Runner;
      beforeAll(async () => {
        runner = new Runner(cloud, mv, shared);
        await runner.run(STEPS);
        // NOVALITE_CONFORMANCE_REPORT=FILE: every checked response (route, label, schema, errors), one JSON line each
        if (process.env.NOVALITE_CONFORMANCE_REPORT) fs.appendFileSync(process.env.NOVALITE_CONFORMANCE_REPORT, runner.results.map((r) => `${JSON.stringify(r)}\n`).join(''));
        // what a failed step left behind must not fill the hosts for the next microversion
        for (const key of ['server', 'evac', 'doomed']) if (runner.st.ids[key]) await runCli(['server', 'delete', runner.st.ids[key], '--force'], cloud.env);
      }, 300_000);

      const keys = [...new Set(STEPS.filter((s) => stepApplies(s, mv)).map(chosen).filter((k): k is string => !!k))];
      for (const key of keys) {
        it(`${key} conforms`, () => {
          const results = runner.results.filter((r) => r.route === key);
          if (!results.length) throw new Error(`${key} was never called at ${mv} (an earlier step failed before it?)`);
          const bad = report(results);
          if (bad) throw new Error(`${key} at ${mv}:\n  ${bad}`);
        });
      }
    });
  }

  if (!CI) {
    for (const key of missing) it.skip(`${key}: not registered yet (conformance pending)`, () => undefined);
  }
});
