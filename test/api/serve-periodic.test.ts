/**
 * `serve` runs the agentless heartbeat: a libvirt host that stops answering is marked down
 * (the scheduler then skips it) without any command being run, and comes back up when it answers.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { setupEnv } from '../helpers/cli';
import { Context } from '../../src/lib/context';
import { startServer } from '../../src/lib/api/serve';

jest.setTimeout(60_000);

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
});

describe('serve: periodic host heartbeat', () => {
  it('marks an unreachable libvirt host down with the reason, and leaves fake hosts alone', async () => {
    const env = await setupEnv([['host', 'add', 'f1', '--driver', 'fake', '--vcpus', '2', '--memory-mb', '2048', '--disk-gb', '10']]);
    const ctx = new Context({ env: { ...process.env, ...env } });
    const key = path.join(env.HOME, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const port = await freePort(); // nothing listens there: the host is "down"
    await ctx.hosts.register({
      name: 'kvm-1', driver: 'libvirt', vcpus: 4, memoryMb: 4096, diskGb: 40, hypervisorType: 'QEMU', hypervisorVersion: 7002000, cpuInfo: {},
      driverConfig: { ssh: { host: '127.0.0.1', port, user: 'root', keyPath: key, hostKey: { type: 'ssh-ed25519', base64: 'AAAA', fingerprint: 'SHA256:x' } } },
    });
    expect((await ctx.hosts.show('kvm-1')).up).toBe(true);
    const s = await startServer(ctx, { host: '127.0.0.1', port: 0, workers: 1, auth: 'none', heartbeatSeconds: 0.2 }, { periodic: true });
    try {
      let h = await ctx.hosts.show('kvm-1');
      for (let i = 0; i < 100 && h.up; i++) { await new Promise((r) => setTimeout(r, 100)); h = await ctx.hosts.show('kvm-1'); }
      expect(h.up).toBe(false);
      expect(h.lastError).toMatch(/127\.0\.0\.1|refused|connect/i);
      expect(h.unreachableSince).toMatch(/^\d{4}-/);
      expect((await ctx.hosts.show('f1')).up).toBe(true);
      // The scheduler sees it: only the fake host passes the filters now.
      const flavor = await ctx.flavors.create({ name: 'tiny', vcpus: 1, ram: 256, disk: 1 });
      const x = await ctx.scheduling.explain({ flavor, projectId: 'p', userId: 'u' } as Parameters<typeof ctx.scheduling.explain>[0]);
      expect(x.selected?.host).toBe('f1');
      expect(x.filters.find((f) => f.filter === 'ComputeFilter')?.removed).toBe(1);
    } finally {
      await s.stop();
      await ctx.close();
      fs.rmSync(env.HOME, { recursive: true, force: true });
    }
  });
});
