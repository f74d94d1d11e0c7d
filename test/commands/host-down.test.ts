/** `host disable --force-down` marks a host down, so its servers can be evacuated; `host enable` brings it back. */
import { runCli, setupEnv } from '../helpers/cli';

jest.setTimeout(60000);

describe('forced-down hosts', () => {
  it('disable --force-down, evacuate through the CLI, enable again', async () => {
    const env = await setupEnv([
      ['host', 'add', 'h1', '--driver', 'fake', '--vcpus', '8', '--memory-mb', '8704', '--disk-gb', '100'],
      ['host', 'add', 'h2', '--driver', 'fake', '--vcpus', '4', '--memory-mb', '4608', '--disk-gb', '100'],
      ['flavor', 'create', 'f1', '--vcpus', '1', '--ram', '512', '--disk', '1']]);
    const cli = (...argv: string[]) => runCli([...argv, '--json'], env);
    const s = (await cli('server', 'create', 's1', '--flavor', 'f1', '--host', 'h1', '--wait')).json.server;
    expect(s['OS-EXT-SRV-ATTR:host']).toBe('h1');
    expect((await cli('server', 'evacuate', s.id, '--yes')).code).toBe(4);
    const down = await cli('host', 'disable', 'h1', '--force-down', '--reason', 'power supply died');
    expect(down.json.host).toMatchObject({ state: 'down', status: 'disabled', disabled_reason: 'power supply died' });
    const ev = await cli('server', 'evacuate', s.id, '--yes', '--wait');
    expect(ev.code).toBe(0);
    expect((await cli('server', 'show', s.id)).json.server['OS-EXT-SRV-ATTR:host']).toBe('h2');
    const up = await cli('host', 'enable', 'h1');
    expect(up.json.host).toMatchObject({ state: 'up', status: 'enabled' });
  });
});
