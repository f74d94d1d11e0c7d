/**
 * Scheduling through the CLI and the core on SQLite: explanations name the filter and the
 * shortfall, capacity agrees with what claiming actually achieves, and bad input is refused.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Context } from '../../src/lib/context';
import { isolatedEnv, runCli } from '../helpers/cli';

jest.setTimeout(60000);

async function cloud(): Promise<Record<string, string>> {
  const env = isolatedEnv();
  for (const a of [['api-db', 'sync'], ['db', 'sync'], ['cell-v2', 'simple-cell-setup'],
    ['host', 'add', 'small1', '--driver', 'fake', '--vcpus', '4', '--memory-mb', '4608', '--disk-gb', '100'],
    ['host', 'add', 'big1', '--driver', 'fake', '--vcpus', '16', '--memory-mb', '16896', '--disk-gb', '200', '--az', 'az2'],
    ['host', 'add', 'off1', '--driver', 'fake', '--vcpus', '64', '--memory-mb', '65536', '--disk-gb', '1000'],
    ['host', 'disable', 'off1', '--reason', 'maintenance'],
    ['flavor', 'create', 'm.small', '--vcpus', '1', '--ram', '2048', '--disk', '10'],
    ['flavor', 'create', 'm.huge', '--vcpus', '8', '--ram', '32768', '--disk', '10']]) {
    const r = await runCli(a, env);
    if (r.code !== 0) throw new Error(`${a.join(' ')}: ${r.stderr}`);
  }
  return env;
}

function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  return fn().finally(() => { process.env = saved; });
}

describe('schedule explain', () => {
  let env: Record<string, string>;
  beforeAll(async () => { env = await cloud(); });

  it('chooses a host and shows the runners-up (exit 0)', async () => {
    const r = await runCli(['schedule', 'explain', '--flavor', 'm.small', '--json'], env);
    expect(r.code).toBe(0);
    expect(r.json.selected.host).toBe('big1');
    expect(r.json.runnersUp.map((h: any) => h.host)).toEqual(['small1']);
    expect(r.json.filters.find((f: any) => f.filter === 'ComputeFilter').removed).toBe(1);
  });

  it('names the filter and the shortfall when nothing fits (exit 5)', async () => {
    const r = await runCli(['schedule', 'explain', '--flavor', 'm.huge', '--json'], env);
    expect(r.code).toBe(5);
    expect(r.json.selected).toBeNull();
    const ram = r.json.filters.find((f: any) => f.filter === 'RamFilter');
    expect(ram.removed).toBe(2);
    expect(ram.summary).toContain('32768 MB');
    expect(ram.summary).toContain('largest 16384 MB');
    expect(r.json.message).toMatch(/disabled|Compute/);
    const human = await runCli(['schedule', 'explain', '--flavor', 'm.huge'], env);
    expect(human.code).toBe(5);
    expect(human.stdout).toContain('No valid host');
  });

  it('honours the AZ', async () => {
    const r = await runCli(['schedule', 'explain', '--flavor', 'm.small', '--az', 'nova', '--json'], env);
    expect(r.json.selected.host).toBe('small1');
  });

  it('refuses hints of the wrong type (exit 2) and an unknown flavor (exit 3)', async () => {
    const bad = await runCli(['schedule', 'explain', '--flavor', 'm.small', '--hint', 'same_host=not-a-uuid', '--json'], env);
    expect(bad.code).toBe(2);
    const cidr = await runCli(['schedule', 'explain', '--flavor', 'm.small', '--hint', 'cidr=/99', '--hint', 'build_near_host_ip=10.0.0.1', '--json'], env);
    expect(cidr.code).toBe(2);
    const nf = await runCli(['schedule', 'explain', '--flavor', 'nope', '--json'], env);
    expect(nf.code).toBe(3);
    const hint = await runCli(['schedule', 'explain', '--flavor', 'm.small', '--hint', 'nokeyvalue'], env);
    expect(hint.code).toBe(2);
  });

  it('an unknown filter in config is a config error (exit 7) naming it', async () => {
    const f = path.join(env.HOME, 'sched.conf');
    fs.writeFileSync(f, '[filter_scheduler]\nenabled_filters = RamFilter, NoSuchFilter\n');
    const r = await runCli(['schedule', 'explain', '--flavor', 'm.small', '--json', '--config-file', f], env);
    expect(r.code).toBe(7);
    expect(r.json.error.message).toContain('NoSuchFilter');
    fs.writeFileSync(f, '[filter_scheduler]\nweight_classes = RAMWeigher, Bogus\n');
    const w = await runCli(['schedule', 'explain', '--flavor', 'm.small', '--json', '--config-file', f], env);
    expect(w.code).toBe(7);
    expect(w.json.error.message).toContain('Bogus');
  });
});

describe('capacity agrees with claims', () => {
  it('claims exactly as many servers as capacity predicts, then NoValidHost with the explanation', async () => {
    const env = await cloud();
    const cap = await runCli(['capacity', '--flavor', 'm.small', '--json'], env);
    expect(cap.code).toBe(0);
    // small1: 4096 MB usable → 2; big1: 16384 MB usable → 8; off1 disabled.
    expect(cap.json.hosts).toEqual([{ host: 'big1', fits: 8 }, { host: 'small1', fits: 2 }]);
    expect(cap.json.total).toBe(10);
    await withEnv(env, async () => {
      const ctx = new Context({ searchPaths: [] });
      try {
        const flavor = await ctx.flavors.get('m.small');
        const input = { flavor, projectId: 'p', userId: 'u' };
        const placed: string[] = [];
        for (let i = 0; i < cap.json.total; i++) placed.push((await ctx.scheduling.placeAndClaim(input, [randomUUID()]))[0].host);
        expect(placed.filter((h) => h === 'big1')).toHaveLength(8);
        let err: any;
        try { await ctx.scheduling.placeAndClaim(input, [randomUUID()]); } catch (e) { err = e; }
        expect(err?.code).toBe('NO_VALID_HOST');
        expect(err.exitCode).toBe(5);
        expect(err.message).toContain('Ram');
        const after = await ctx.scheduling.capacity(input);
        expect(after.total).toBe(0);
        // A multi-server request that cannot be placed whole leaves nothing claimed behind.
        const hosts = await ctx.hosts.list();
        const used = hosts.reduce((a, h) => a + h.memoryMbUsed, 0);
        expect(used).toBe(10 * 2048);
      } finally {
        await ctx.close();
      }
    });
  });

  it('anti-affinity members never share a host, and a multi-create rolls back when it cannot place all', async () => {
    const env = await cloud();
    await runCli(['server-group', 'create', 'aa', '--policy', 'anti-affinity'], env);
    await withEnv(env, async () => {
      const ctx = new Context({ searchPaths: [] });
      try {
        const flavor = await ctx.flavors.get('m.small');
        const group = await ctx.serverGroups.get('aa');
        let err: any;
        try {
          await ctx.scheduling.placeAndClaim({ flavor, group, projectId: 'admin', userId: 'admin' }, [randomUUID(), randomUUID(), randomUUID()]);
        } catch (e) { err = e; }
        expect(err?.code).toBe('NO_VALID_HOST');
        const hosts = await ctx.hosts.list();
        expect(hosts.reduce((a, h) => a + h.runningVms, 0)).toBe(0);
        const two = await ctx.scheduling.placeAndClaim({ flavor, group, projectId: 'admin', userId: 'admin' }, [randomUUID(), randomUUID()]);
        expect(new Set(two.map((p) => p.host)).size).toBe(2);
        // A released member frees its slot: the next member takes that host again.
        await ctx.scheduling.release(two[0]);
        const again = await ctx.scheduling.placeAndClaim({ flavor, group, projectId: 'admin', userId: 'admin' }, [randomUUID()]);
        expect(again[0].host).toBe(two[0].host);
      } finally {
        await ctx.close();
      }
    });
  });
});
