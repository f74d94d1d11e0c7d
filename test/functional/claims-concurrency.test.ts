/**
 * Concurrent schedulers in separate processes claim on one database and never overcommit: with
 * hosts sized for exactly C servers, exactly C requests are claimed and the rest get NoValidHost —
 * on SQLite, PostgreSQL and MariaDB. Runs the scheduler benchmark's worker processes.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from '../helpers/cli';
import { createTestDatabase, testEngines, TestEngine } from '../helpers/engines';

jest.setTimeout(300000);

describe.each(testEngines().map((e) => [e.name, e] as [string, TestEngine]))('concurrent claims on %s', (_n, engine) => {
  it('4 processes, 1000 requests, 50 hosts with room for exactly 600: 600 claimed, 400 rejected, nothing overcommitted', async () => {
    const api = await createTestDatabase(engine, 'conc_api');
    const cell = await createTestDatabase(engine, 'conc_cell');
    const cell0 = await createTestDatabase(engine, 'conc_cell0');
    try {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'bench', 'scheduler.js'),
        '--hosts', '50', '--requests', '1000', '--processes', '4', '--capacity-servers', '600', '--api-url', api.url, '--cell-url', cell.url, '--cell0-url', cell0.url],
      { encoding: 'utf8', timeout: 280000 });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out).toMatchObject({ hosts: 50, requests: 1000, processes: 4, claimed: 600, rejected: 400, overcommitted_hosts: 0 });
    } finally {
      await api.drop();
      await cell.drop();
      await cell0.drop();
    }
  });
});
