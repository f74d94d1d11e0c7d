/**
 * The libvirt driver against real hosts: the lab's libvirtd + qemu (TCG) + sshd on this machine
 * and a second host in a network namespace. One file, run in order, because doctor looks at
 * every domain on the hosts and must not see another suite's servers.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../helpers/cli';
import { describeLab, labScript, libvirtCloud, ok, onHost, onHostState, show, waitConsole, type Cloud } from './_libvirt-cloud';

const READY = 'NOVALITE-GUEST: READY';
jest.setTimeout(240_000);

describeLab('libvirt driver on real hosts', (l) => {
  let c: Cloud;
  let env: Record<string, string>;
  const create = (name: string, ...extra: string[]) => runCli(['server', 'create', name, '--flavor', 'tiny', '--image', 'lab-root', '--wait', '--json', ...extra], env);

  beforeAll(async () => {
    c = await libvirtCloud(l);
    env = c.env;
  });

  it('registered both hosts with their probed facts and pinned keys', async () => {
    const hosts = JSON.parse((await ok(['host', 'list'], env)).stdout).hosts as Array<Record<string, any>>;
    expect(hosts.map((h) => [h.name, h.driver, h.state, h.hypervisor_type])).toEqual([['h1', 'libvirt', 'up', 'QEMU'], ['h2', 'libvirt', 'up', 'QEMU']]);
    for (const h of hosts) {
      expect(h.driver_config.virtType).toBe('qemu'); // no usable KVM here: TCG
      expect(h.driver_config.ssh.hostKey.fingerprint).toMatch(/^SHA256:/);
      expect(h.vcpus).toBeGreaterThan(0);
    }
    const v = await runCli(['host', 'verify', 'h2', '--json'], env);
    expect(v.code).toBe(0);
    expect(v.json.checks.map((x: { check: string }) => x.check)).toEqual(expect.arrayContaining(['ssh', 'libvirt', 'qemu-img', 'iso tool']));
  });

  it('boots a real guest to its marker, and drives its lifecycle', async () => {
    const r = await create('vm1', '--config-drive', '--property', 'role=e2e');
    expect(r.code).toBe(0);
    expect(r.json.server.status).toBe('ACTIVE');
    expect(r.json.server['OS-EXT-SRV-ATTR:host']).toBe('h1');
    await waitConsole(env, 'vm1', READY);
    const uuid = r.json.server.id as string;
    expect(onHostState(l, 1).domains).toContain(`novalite-${uuid}`);
    // The config drive is an ISO with the server's metadata.
    const iso = onHost(l, 1, `isoinfo -i /var/lib/novalite/instances/${uuid}/disk.config -J -x /openstack/latest/meta_data.json`);
    expect(JSON.parse(iso.stdout)).toMatchObject({ uuid, name: 'vm1', meta: { role: 'e2e' } });

    expect((await ok(['server', 'stop', 'vm1', '--wait'], env)).code).toBe(0);
    expect((await show(env, 'vm1')).status).toBe('SHUTOFF');
    expect(onHost(l, 1, `virsh -q domstate novalite-${uuid}`).stdout.trim()).toBe('shut off');
    await ok(['server', 'start', 'vm1', '--wait'], env);
    await waitConsole(env, 'vm1', READY, 2);
    await ok(['server', 'reboot', 'vm1', '--wait'], env);
    await waitConsole(env, 'vm1', READY, 3);
    await ok(['server', 'suspend', 'vm1', '--wait'], env);
    expect((await show(env, 'vm1')).status).toBe('SUSPENDED');
    await ok(['server', 'resume', 'vm1', '--wait'], env);
    await ok(['server', 'pause', 'vm1', '--wait'], env);
    expect(onHost(l, 1, `virsh -q domstate novalite-${uuid}`).stdout.trim()).toBe('paused');
    await ok(['server', 'unpause', 'vm1', '--wait'], env);
    expect((await show(env, 'vm1')).status).toBe('ACTIVE');

    // Rescue boots a fresh copy of the image with the server's disk second (vdb); unrescue restores it.
    await ok(['server', 'rescue', 'vm1', '--wait'], env);
    expect((await show(env, 'vm1')).status).toBe('RESCUE');
    expect(onHost(l, 1, `virsh -q domblklist novalite-${uuid}`).stdout).toMatch(/vda\s+\S+disk\.rescue[\s\S]*vdb\s+\S+\/disk\b/);
    await waitConsole(env, 'vm1', READY, 4);
    await ok(['server', 'unrescue', 'vm1', '--wait'], env);
    expect(onHost(l, 1, `ls /var/lib/novalite/instances/${uuid}`).stdout).not.toContain('disk.rescue');
    await waitConsole(env, 'vm1', READY, 5);
  });

  it('resizes to a bigger flavor (root disk grown on the same host) and confirms', async () => {
    await ok(['flavor', 'create', 'small', '--vcpus', '1', '--ram', '192', '--disk', '2'], env);
    const uuid = (await show(env, 'vm1')).id;
    await ok(['server', 'resize', 'vm1', '--flavor', 'small', '--wait'], env);
    expect((await show(env, 'vm1')).status).toBe('VERIFY_RESIZE');
    await ok(['server', 'resize', 'confirm', 'vm1', '--wait'], env);
    const s = await show(env, 'vm1');
    expect([s.status, s.flavor.original_name]).toEqual(['ACTIVE', 'small']);
    const host = s['OS-EXT-SRV-ATTR:host'] === 'h1' ? 1 : 2;
    const info = JSON.parse(onHost(l, host, `qemu-img info -U --output=json /var/lib/novalite/instances/${uuid}/disk`).stdout);
    expect(info['virtual-size']).toBe(2 * 1024 ** 3);
    expect(onHost(l, host, `virsh -q dominfo novalite-${uuid}`).stdout).toMatch(/Max memory:\s+196608 KiB/);
    if (host === 2) await ok(['server', 'live-migrate', 'vm1', '--host', 'h1', '--wait'], env);
    await waitConsole(env, 'vm1', READY, 6);
  });

  it('renders the XML the host runs (server xml --diff finds no drift) and doctor finds nothing', async () => {
    const x = await runCli(['server', 'xml', 'vm1', '--diff', '--json'], env);
    expect(x.json.diff).toEqual([]);
    expect(x.code).toBe(0);
    expect(x.json.xml).toContain('<domain type="qemu">');
    const d = await runCli(['doctor', '--json'], env);
    expect(d.json.findings).toEqual([]);
    expect(d.code).toBe(0);
  });

  it('notices a domain stopped behind its back (power state) and records it with doctor --fix', async () => {
    const uuid = (await show(env, 'vm1')).id;
    expect(onHost(l, 1, `virsh -q destroy novalite-${uuid}`).code).toBe(0);
    const d = await runCli(['doctor', '--no-xml', '--json'], env);
    expect([d.code, d.json.findings.map((f: { kind: string; server: string }) => [f.kind, f.server])]).toEqual([1, [['power_state', uuid]]]);
    await ok(['doctor', '--fix', '--no-xml'], env);
    expect((await show(env, 'vm1')).status).toBe('SHUTOFF');
    await ok(['server', 'start', 'vm1', '--wait'], env);
    await waitConsole(env, 'vm1', READY, 7);
  });

  it('shows the address the guest got from the libvirt network', async () => {
    const until = Date.now() + 60_000;
    let s = await show(env, 'vm1');
    while (!Object.keys(s.addresses).length && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 2000));
      s = await show(env, 'vm1');
    }
    expect(s.addresses.default?.[0]?.addr).toMatch(/^192\.168\.122\.\d+$/);
    const list = JSON.parse((await ok(['server', 'list'], env)).stdout).servers as Array<Record<string, any>>;
    expect(list.find((x) => x.name === 'vm1')?.addresses).toEqual(s.addresses);
  });

  it('cold-migrates to the other host (disks copied) and live-migrates back', async () => {
    const uuid = (await show(env, 'vm1')).id;
    await ok(['server', 'migrate', 'vm1', '--host', 'h2', '--wait'], env);
    expect((await show(env, 'vm1')).status).toBe('VERIFY_RESIZE');
    await ok(['server', 'resize', 'confirm', 'vm1', '--wait'], env);
    const s = await show(env, 'vm1');
    expect([s.status, s['OS-EXT-SRV-ATTR:host']]).toEqual(['ACTIVE', 'h2']);
    expect(onHostState(l, 2).domains).toContain(`novalite-${uuid}`);
    expect(onHostState(l, 1)).toEqual({ domains: [], dirs: [] });
    await waitConsole(env, 'vm1', READY, 8);

    await ok(['server', 'live-migrate', 'vm1', '--host', 'h1', '--wait'], env);
    expect((await show(env, 'vm1'))['OS-EXT-SRV-ATTR:host']).toBe('h1');
    expect(onHost(l, 1, `virsh -q domstate novalite-${uuid}`).stdout.trim()).toBe('running');
    expect(onHostState(l, 2)).toEqual({ domains: [], dirs: [] });
    const x = await runCli(['server', 'xml', 'vm1', '--diff', '--json'], env);
    expect(x.json.diff).toEqual([]);
  });

  it('boots servers with hostile names without running anything on the host, and deletes them cleanly', async () => {
    const marker = `/tmp/novalite-pwned-${process.pid}`;
    const names = [`$(touch ${marker})`, '<x&y>', `it's "quoted"; \`touch ${marker}\``];
    for (const name of names) {
      const r = await create(name, '--network', 'none');
      expect([r.code, r.json?.server?.status]).toEqual([0, 'ACTIVE']);
      const uuid = r.json.server.id;
      const host = r.json.server['OS-EXT-SRV-ATTR:host'] === 'h1' ? 1 : 2;
      const dump = onHost(l, host, `virsh -q dumpxml novalite-${uuid} > /tmp/nl-e2e-${uuid}.xml && virt-xml-validate /tmp/nl-e2e-${uuid}.xml domain; rm -f /tmp/nl-e2e-${uuid}.xml`);
      expect(dump.code).toBe(0);
      expect((await runCli(['server', 'delete', uuid, '--wait', '--json'], env)).code).toBe(0);
    }
    expect(fs.existsSync(marker)).toBe(false);
    expect(onHost(l, 2, `test -e ${marker}`).code).not.toBe(0);
  });

  it('reschedules a build to the other host when sshd dies on the first one during the spawn', async () => {
    // A big root image makes the spawn on h1 start with a long upload, so the kill lands mid-spawn.
    const props = JSON.parse((await ok(['image', 'show', 'lab-root'], env)).stdout).image as Record<string, string>;
    const big = path.join(env.HOME, 'big.raw');
    const fd = fs.openSync(big, 'w');
    for (let i = 0; i < 24; i++) fs.writeSync(fd, randomBytes(4 << 20));
    fs.closeSync(fd);
    await ok(['image', 'create', 'big-root', '--file', big, '--disk-format', 'raw', '--property', `kernel_id=${props.kernel_id}`,
      '--property', `ramdisk_id=${props.ramdisk_id}`, '--property', `os_command_line=${props.os_command_line}`], env);
    const creating = runCli(['server', 'create', 'vm-resched', '--flavor', 'tiny', '--image', 'big-root', '--network', 'none', '--wait', '--json'], env);
    let uploading = false;
    for (let i = 0; i < 200 && !uploading; i++) {
      await new Promise((r) => setTimeout(r, 50));
      uploading = /part/.test(onHost(l, 1, 'ls /var/lib/novalite/_base').stdout);
    }
    expect(uploading).toBe(true);
    labScript(l, 'sshd-stop', 'host1');
    try {
      const r = await creating;
      expect([r.code, r.json.server.status, r.json.server['OS-EXT-SRV-ATTR:host']]).toEqual([0, 'ACTIVE', 'h2']);
      const h1 = JSON.parse((await ok(['host', 'show', 'h1'], env)).stdout).host;
      expect(h1.state).toBe('down');
      expect(h1.last_error).toMatch(/h1|127\.0\.0\.1/);
    } finally {
      labScript(l, 'sshd-start', 'host1');
    }
    const p = await runCli(['host', 'probe', 'h1', '--json'], env);
    expect(p.json.hosts).toEqual([expect.objectContaining({ host: 'h1', up: true })]);
    // The cut-off spawn left no server behind on h1, only its half upload, which pruning removes.
    const resched = JSON.parse((await ok(['server', 'show', 'vm-resched'], env)).stdout).server.id as string;
    expect(onHostState(l, 1).domains).not.toContain(`novalite-${resched}`);
    expect(onHostState(l, 1).dirs).not.toContain(resched);
    await ok(['server', 'delete', 'vm-resched', '--wait'], env);
    const pruned = JSON.parse((await ok(['host', 'prune-images', 'h1', '--min-age', '0'], env)).stdout).removed as string[];
    expect(pruned.some((f) => f.includes('.part.'))).toBe(true);
    expect(onHost(l, 1, 'ls /var/lib/novalite/_base').stdout).not.toMatch(/part/);
  });

  it('refuses a host whose key changed (exit 6) until it is re-pinned', async () => {
    labScript(l, 'rekey', 'host2');
    const v = await runCli(['host', 'verify', 'h2', '--json'], env);
    expect(v.code).toBe(6);
    expect(JSON.stringify(v.json)).toMatch(/HOST_KEY_CHANGED|host key/i);
    const r = await runCli(['host', 'repin', 'h2', '--accept-new-host-key', '--json'], env);
    expect(r.code).toBe(0);
    expect(r.json.fingerprint).not.toBe(r.json.previous_fingerprint);
    expect((await runCli(['host', 'verify', 'h2', '--json'], env)).code).toBe(0);
  });

  it('deletes leave no domain, disk or file on either host, and doctor agrees', async () => {
    await ok(['server', 'delete', 'vm1', '--wait'], env);
    expect(onHostState(l, 1)).toEqual({ domains: [], dirs: [] });
    expect(onHostState(l, 2)).toEqual({ domains: [], dirs: [] });
    expect((await runCli(['doctor', '--json'], env)).json.findings).toEqual([]);
    const pruned = await runCli(['host', 'prune-images', 'h2', '--min-age', '0', '--json'], env);
    expect(pruned.json.removed.length).toBeGreaterThan(0);
    expect(onHost(l, 2, 'ls /var/lib/novalite/_base').stdout.trim()).toBe('');
  });
});
