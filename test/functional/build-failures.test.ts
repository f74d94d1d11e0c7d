/**
 * Build failures: a spawn that fails on one host is rescheduled to another (up to
 * [scheduler] max_attempts) and cleaned up where it failed; a build that runs past
 * [compute] instance_build_timeout fails with a fault. Nothing is left claimed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, setupEnv } from '../helpers/cli';

jest.setTimeout(60000);

async function env(conf: string): Promise<Record<string, string>> {
  const e = await setupEnv([
    // The bigger host wins the weighing, and its spawns fail.
    ['host', 'add', 'bad', '--driver', 'fake', '--vcpus', '32', '--memory-mb', '65536', '--disk-gb', '1000', '--fake-fail', 'spawn'],
    ['host', 'add', 'good', '--driver', 'fake', '--vcpus', '8', '--memory-mb', '8704', '--disk-gb', '100'],
    ['flavor', 'create', 'f1', '--vcpus', '1', '--ram', '1024', '--disk', '10']]);
  const file = path.join(e.HOME, 'novalite.conf');
  fs.writeFileSync(file, conf);
  e.NOVALITE_CONFIG_FILE = file;
  return e;
}

const json = async (e: Record<string, string>, argv: string[]) => (await runCli([...argv, '--json'], e)).json;

describe('build failures', () => {
  it('reschedules a failed spawn to the next host and records the failed attempt', async () => {
    const e = await env('[scheduler]\nmax_attempts = 3\n');
    const r = await runCli(['server', 'create', 's1', '--flavor', 'f1', '--wait', '--json'], e);
    expect(r.code).toBe(0);
    expect(r.json.server['OS-EXT-SRV-ATTR:host']).toBe('good');
    const ev = await json(e, ['server', 'event', 'show', 's1', (await json(e, ['server', 'event', 'list', 's1'])).instanceActions[0].request_id]);
    expect(ev.instanceAction.events.map((x: any) => x.result)).toEqual(expect.arrayContaining(['Error', 'Success']));
    expect((await json(e, ['host', 'show', 'bad'])).host.vcpus_used).toBe(0);
    expect((await json(e, ['host', 'show', 'good'])).host.vcpus_used).toBe(1);
  });

  it('with max_attempts = 1 the server goes to ERROR with the driver fault, nothing claimed', async () => {
    const e = await env('[scheduler]\nmax_attempts = 1\n');
    const r = await runCli(['server', 'create', 's2', '--flavor', 'f1', '--wait', '--json'], e);
    expect(r.code).toBe(6);
    const s = (await json(e, ['server', 'show', 's2'])).server;
    expect(s.status).toBe('ERROR');
    expect(s.fault.message).toMatch(/host bad: spawn failed/);
    for (const h of ['bad', 'good']) expect((await json(e, ['host', 'show', h])).host.vcpus_used).toBe(0);
  });

  it('refuses an unknown --fake-fail operation at host add (exit 2), registering nothing', async () => {
    const e = await setupEnv();
    const r = await runCli(['host', 'add', 'typo', '--driver', 'fake', '--vcpus', '8', '--memory-mb', '8704', '--disk-gb', '100', '--fake-fail', 'spwan', '--json'], e);
    expect(r.code).toBe(2);
    expect(r.json.error.message).toContain('spwan');
    expect((await runCli(['host', 'show', 'typo', '--json'], e)).code).toBe(3);
  });

  it('fails a build that runs past instance_build_timeout', async () => {
    const e = await setupEnv([
      ['host', 'add', 'slow', '--driver', 'fake', '--vcpus', '8', '--memory-mb', '8704', '--disk-gb', '100', '--fake-spawn-seconds', '4'],
      ['flavor', 'create', 'f1', '--vcpus', '1', '--ram', '1024', '--disk', '10']]);
    const file = path.join(e.HOME, 'novalite.conf');
    fs.writeFileSync(file, '[compute]\ninstance_build_timeout = 1\n[scheduler]\nmax_attempts = 1\n');
    e.NOVALITE_CONFIG_FILE = file;
    const r = await runCli(['server', 'create', 's3', '--flavor', 'f1', '--wait', '--json'], e);
    expect(r.code).toBe(6);
    const s = (await json(e, ['server', 'show', 's3'])).server;
    expect(s.status).toBe('ERROR');
    expect(s.fault.message).toMatch(/timed out after 1 s/);
    expect((await json(e, ['host', 'show', 'slow'])).host.vcpus_used).toBe(0);
  });
});
