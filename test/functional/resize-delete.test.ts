/** Deleting a server that waits in VERIFY_RESIZE removes it from both hosts (no orphan on the source). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, setupEnv } from '../helpers/cli';

jest.setTimeout(60000);

describe('delete during VERIFY_RESIZE', () => {
  it('leaves no copy on the source host and frees both hosts', async () => {
    const env = await setupEnv([
      ['host', 'add', 'h1', '--driver', 'fake', '--vcpus', '8', '--memory-mb', '8704', '--disk-gb', '100'],
      ['host', 'add', 'h2', '--driver', 'fake', '--vcpus', '8', '--memory-mb', '8704', '--disk-gb', '100'],
      ['flavor', 'create', 'f1', '--vcpus', '1', '--ram', '512', '--disk', '1']]);
    const cli = (...argv: string[]) => runCli([...argv, '--json'], env);
    const s = (await cli('server', 'create', 's1', '--flavor', 'f1', '--host', 'h1', '--wait')).json.server;
    const m = await cli('server', 'migrate', s.id, '--wait');
    expect(m.code).toBe(0);
    expect((await cli('server', 'show', s.id)).json.server.status).toBe('VERIFY_RESIZE');
    expect((await cli('server', 'delete', s.id)).code).toBe(0);
    const dir = path.join(env.XDG_DATA_HOME, 'novalite', 'fake-hosts');
    for (const h of ['h1', 'h2']) {
      const state = fs.readFileSync(path.join(dir, `${h}.json`), 'utf8');
      expect(state).not.toContain(s.id);
      expect((await cli('host', 'show', h)).json.host).toMatchObject({ vcpus_used: 0, running_vms: 0 });
    }
    const migs = (await cli('migration', 'list')).json.migrations;
    expect(migs[0].status).toBe('confirmed');
  });
});
