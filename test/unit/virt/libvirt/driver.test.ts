// LibvirtDriver against the fake SSH transport: which commands reach the host, in which order,
// and what the driver makes of their answers (missing bases, failures, timeouts, parsing).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HostError } from '../../../../src/lib/errors';
import { PowerState } from '../../../../src/lib/model/states';
import { InstanceNotFoundOnHost, type HostTarget, type ImageRef, type InstanceSpec } from '../../../../src/virt/driver';
import { LibvirtDriver } from '../../../../src/virt/libvirt/driver';
import { HostCommandError } from '../../../../src/virt/libvirt/remote';
import { FakeTransport } from '../../../../src/virt/libvirt/ssh/fake-transport';

const UUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const DOM = `novalite-${UUID}`;
const DIR = `/var/lib/novalite/instances/${UUID}`;
const NOT_FOUND = { code: 1, stderr: `error: failed to get domain '${DOM}'\n` };

const SSH = { host: '10.0.0.5', port: 22, user: 'root', keyPath: '/k', hostKey: { type: 'ssh-ed25519', base64: 'AAAA', fingerprint: 'SHA256:x' } };
function target(over: Record<string, unknown> = {}): HostTarget {
  return { name: 'h1', address: '10.0.0.5', driverConfig: { ssh: SSH, root: '/var/lib/novalite', virtType: 'qemu', network: 'default', isoTool: 'genisoimage', ...over } };
}
function image(over: Partial<ImageRef> = {}): ImageRef {
  return { id: 'img-1', name: 'cirros', checksum: 'c'.repeat(32), size: 5, diskFormat: 'qcow2', properties: {}, path: null, ...over };
}
function spec(over: Partial<InstanceSpec> = {}): InstanceSpec {
  return {
    uuid: UUID, name: 'web1', hostname: 'web1', projectId: 'p1', userId: 'u1',
    flavor: { name: 'm1.tiny', vcpus: 1, memoryMb: 128, rootGb: 1, ephemeralGb: 0, swapMb: 0, extraSpecs: {} },
    image: image(), userData: null, keyData: null, metadata: {}, configDrive: false, network: 'auto', ...over,
  };
}
function driver(over: Record<string, unknown> = {}, t = new FakeTransport()) {
  return { t, d: new LibvirtDriver(target(over), () => t) };
}
/** domstate answers from a list; the last one repeats. */
function states(t: FakeTransport, list: string[]): void {
  t.on(/^virsh -q -c qemu:\/\/\/system domstate /, () => (list.length > 1 ? { stdout: `${list.shift()}\n` } : { stdout: `${list[0]}\n` }));
}
/** The virsh verbs run, in order (`virsh -q -c qemu:///system <verb> …`). */
const verbs = (t: FakeTransport) => t.commands().map((c) => /^virsh -q -c qemu:\/\/\/system (\S+)/.exec(c)?.[1]).filter(Boolean);
const isSpawnScript = (c: string) => c.startsWith('set -e\numask 077');

describe('LibvirtDriver.spawn', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'novalite-drv-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const localImage = () => {
    const p = path.join(tmp, 'cirros.qcow2');
    fs.writeFileSync(p, 'QFI\xfb image bytes');
    return image({ path: p, checksum: createHash('md5').update(fs.readFileSync(p)).digest('hex') });
  };

  it('runs one script with the tar on stdin and cleans nothing up when it succeeds', async () => {
    const { t, d } = driver();
    await d.spawn(spec());
    expect(t.execs).toHaveLength(1);
    expect(isSpawnScript(t.execs[0].command)).toBe(true);
    expect(t.execs[0].command).toContain(`virsh -q -c qemu:///system start ${DOM}`);
    expect(t.execs[0].stdin).toContain('libvirt.xml');
    expect(t.execs[0].timeoutMs).toBe(300_000);
  });

  it('uploads a missing base (exit 42), verifies its md5, renames it into place and runs the script again', async () => {
    const { t, d } = driver();
    const img = localImage();
    t.once((c) => isSpawnScript(c), { code: 42 });
    t.on(/^test -s /, { code: 1 });
    t.on(/^md5sum /, (c) => ({ stdout: `${img.checksum}  ${c.split(' ')[1]}\n` }));
    await d.spawn(spec({ image: img }));
    const base = `/var/lib/novalite/_base/${img.checksum}`;
    expect(t.writes).toHaveLength(1);
    const part = t.writes[0].path;
    expect(t.writes[0]).toMatchObject({ via: 'upload', localPath: img.path, mode: 0o644 });
    expect(part).toMatch(new RegExp(`^${base}\\.part\\.[0-9a-f]{8}$`));
    const cmds = t.commands();
    expect(cmds.filter(isSpawnScript)).toHaveLength(2);
    expect(cmds.slice(1, -1)).toEqual([
      `test -s ${base} && touch -c ${base}`, 'mkdir -p /var/lib/novalite/_base', `md5sum ${part}`, `mv -f ${part} ${base}`,
    ]);
    expect(cmds.some((c) => c.startsWith('rm '))).toBe(false);
  });

  it('refuses a base that arrives with another checksum, removes the .part file and leaves no instance behind', async () => {
    const { t, d } = driver();
    const img = localImage();
    t.on((c) => isSpawnScript(c), { code: 42 });
    t.on(/^test -s /, { code: 1 });
    t.on(/^md5sum /, (c) => ({ stdout: `${'0'.repeat(32)}  ${c.split(' ')[1]}\n` }));
    t.on(/^virsh -q -c qemu:\/\/\/system domstate /, NOT_FOUND);
    const err = await d.spawn(spec({ image: img })).catch((e) => e);
    expect(err).toBeInstanceOf(HostError);
    expect(err.code).toBe('IMAGE_CHECKSUM_MISMATCH');
    const part = t.writes[0].path;
    const cmds = t.commands();
    expect(cmds).toContain(`rm -f ${part}`);
    expect(cmds.some((c) => c.startsWith('mv '))).toBe(false);
    expect(cmds.filter(isSpawnScript)).toHaveLength(1);
    expect(cmds.some((c) => c.includes(`rm -rf ${DIR}`))).toBe(true);
  });

  it('says what is missing when a base is needed but the image has no data', async () => {
    const { t, d } = driver();
    t.on((c) => isSpawnScript(c), { code: 42 }).on(/^test -s /, { code: 1 }).on(/^virsh -q -c qemu:\/\/\/system domstate /, NOT_FOUND);
    await expect(d.spawn(spec({ image: image({ path: null }) }))).rejects.toMatchObject({ code: 'IMAGE_DATA_MISSING' });
    expect(t.writes).toHaveLength(0);
  });

  it('turns a failing script into a HostCommandError quoting the error line, then destroys what it made', async () => {
    const { t, d } = driver();
    t.on((c) => isSpawnScript(c), { code: 1, stderr: `Domain '${DOM}' defined from x\nerror: Failed to start domain '${DOM}'\nerror: internal error: process exited while connecting to monitor\n` });
    t.on(/^virsh -q -c qemu:\/\/\/system domstate /, NOT_FOUND);
    const err = await d.spawn(spec()).catch((e) => e);
    expect(err).toBeInstanceOf(HostCommandError);
    expect(err.message).toBe('spawn failed on host h1: error: internal error: process exited while connecting to monitor');
    const cleanup = t.commands().slice(1);
    expect(cleanup[0]).toContain(`virsh -q -c qemu:///system destroy ${DOM}`);
    expect(cleanup[0]).toContain(`undefine --managed-save --snapshots-metadata ${DOM}`);
    expect(cleanup[0].split('\n')).toContain(`rm -rf ${DIR}`);
  });

  it('refuses an image that is neither qcow2 nor raw before touching the host', async () => {
    const { t, d } = driver();
    await expect(d.spawn(spec({ image: image({ diskFormat: 'vmdk' }) }))).rejects.toMatchObject({ code: 'IMAGE_FORMAT_UNSUPPORTED' });
    expect(t.execs).toHaveLength(0);
  });
});

describe('LibvirtDriver.destroy', () => {
  it('is idempotent: a domain that is already gone is fine; destroyDisks: false keeps the files', async () => {
    const { t, d } = driver();
    t.on(/^virsh -q -c qemu:\/\/\/system domstate /, NOT_FOUND);
    await d.destroy(spec());
    await d.destroy(spec());
    const script = t.commands()[0].split('\n');
    expect(script).toEqual([
      `virsh -q -c qemu:///system destroy ${DOM} >/dev/null 2>&1 || true`,
      `virsh -q -c qemu:///system undefine --managed-save --snapshots-metadata ${DOM} >/dev/null 2>&1 || true`,
      `rm -rf ${DIR}`,
    ]);
    await d.destroy(spec(), { destroyDisks: false });
    expect(t.commands().pop()).not.toContain('rm -rf');
  });

  it('fails with DESTROY_INCOMPLETE when the domain is still defined afterwards', async () => {
    const { t, d } = driver();
    t.on(/^virsh -q -c qemu:\/\/\/system domstate /, { stdout: 'shut off\n' });
    await expect(d.destroy(spec())).rejects.toMatchObject({ code: 'DESTROY_INCOMPLETE', exitCode: 6 });
  });

  it('reports a host that cannot answer domstate as a host command failure', async () => {
    const { t, d } = driver();
    t.on(/^virsh -q -c qemu:\/\/\/system domstate /, { code: 1, stderr: 'error: failed to connect to the hypervisor\n' });
    await expect(d.destroy(spec())).rejects.toThrow('virsh domstate failed on host h1: error: failed to connect to the hypervisor');
  });
});

describe('LibvirtDriver power operations', () => {
  it('SOFT reboot: shutdown, wait for shut off, start', async () => {
    const { t, d } = driver({ shutdownTimeoutSeconds: 5 });
    states(t, ['running', 'running', 'in shutdown', 'shut off']);
    await d.reboot(spec(), 'SOFT');
    expect(verbs(t)).toEqual(['domstate', 'domstate', 'shutdown', 'domstate', 'domstate', 'start']);
  });

  it('SOFT reboot falls back to destroy when the guest ignores ACPI for shutdownTimeoutSeconds', async () => {
    const { t, d } = driver({ shutdownTimeoutSeconds: 0.3 });
    states(t, ['running']);
    const t0 = Date.now();
    await d.reboot(spec(), 'SOFT');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    const v = verbs(t);
    expect(v.slice(0, 3)).toEqual(['domstate', 'domstate', 'shutdown']);
    expect(v.slice(-2)).toEqual(['destroy', 'start']);
    expect(v.filter((x) => x === 'domstate').length).toBeGreaterThanOrEqual(3);
  });

  it('HARD reboot: destroy (when running), drop any managed save, start', async () => {
    const { t, d } = driver();
    states(t, ['running']);
    await d.reboot(spec(), 'HARD');
    expect(verbs(t)).toEqual(['domstate', 'destroy', 'managedsave-remove', 'start']);
    t.reset();
    t.on(/^virsh -q -c qemu:\/\/\/system domstate /, { stdout: 'shut off\n' });
    await d.reboot(spec(), 'HARD');
    expect(verbs(t)).toEqual(['domstate', 'managedsave-remove', 'start']);
  });

  it('powerOff with timeout 0 destroys at once; a stopped server is left alone', async () => {
    const { t, d } = driver();
    states(t, ['running']);
    await d.powerOff(spec(), { timeoutSeconds: 0 });
    expect(verbs(t)).toEqual(['domstate', 'destroy']);
    t.reset({ rules: true });
    states(t, ['shut off']);
    await d.powerOff(spec(), { timeoutSeconds: 0 });
    expect(verbs(t)).toEqual(['domstate']);
  });

  it.each(['pause', 'suspend', 'unpause', 'powerOn'] as const)('%s on a missing domain is InstanceNotFoundOnHost (exit 6)', async (op) => {
    const { t, d } = driver();
    t.on(/^virsh -q -c qemu:\/\/\/system domstate /, NOT_FOUND);
    const err = await d[op](spec()).catch((e) => e);
    expect(err).toBeInstanceOf(InstanceNotFoundOnHost);
    expect(err.exitCode).toBe(6);
    expect(verbs(t)).toEqual(['domstate']);
  });

  it('pause and suspend use virsh suspend and managedsave; powerOn resumes a paused domain, starts a stopped one', async () => {
    const { t, d } = driver();
    states(t, ['running', 'running', 'paused', 'shut off']);
    await d.pause(spec());
    await d.suspend(spec());
    await d.powerOn(spec());
    await d.powerOn(spec());
    expect(verbs(t)).toEqual(['domstate', 'suspend', 'domstate', 'managedsave', 'domstate', 'resume', 'domstate', 'start']);
  });
});

describe('LibvirtDriver queries', () => {
  const DOMINFO = [
    'Id:             3', `Name:           ${DOM}`, `UUID:           ${UUID}`, 'OS Type:        hvm', 'State:          running',
    'CPU(s):         1', 'CPU time:       3.2s', 'Max memory:     131072 KiB', 'Used memory:    131072 KiB', 'Persistent:     yes',
    'Autostart:      disable', 'Managed save:   no', 'Security model: none', 'Security DOI:   0', '',
  ].join('\n');

  it('getInfo parses virsh dominfo; a missing domain is InstanceNotFoundOnHost, any other failure a HostCommandError', async () => {
    const { t, d } = driver();
    t.on(/ dominfo /, { stdout: DOMINFO });
    expect(await d.getInfo(spec())).toEqual({ powerState: PowerState.RUNNING, memoryMb: 128, vcpus: 1, cpuTimeNs: 3_200_000_000 });
    t.on(/ dominfo /, { stdout: DOMINFO.replace('running', 'shut off').replace(/CPU time:.*\n/, '') });
    expect(await d.getInfo(spec())).toMatchObject({ powerState: PowerState.SHUTDOWN, cpuTimeNs: 0 });
    t.on(/ dominfo /, NOT_FOUND);
    await expect(d.getInfo(spec())).rejects.toBeInstanceOf(InstanceNotFoundOnHost);
    t.on(/ dominfo /, { code: 1, stderr: 'error: failed to connect to the hypervisor' });
    await expect(d.getInfo(spec())).rejects.toBeInstanceOf(HostCommandError);
  });

  it('listInstances and listDomains keep only domains novalite made', async () => {
    const { t, d } = driver();
    const other = '11111111-2222-4333-8444-555555555555';
    t.on(/ list --all --name$/, { stdout: `${DOM}\nwindows-vm\nnovalite-not-a-uuid\n\nnovalite-${other}\n` });
    expect(await d.listInstances()).toEqual([UUID, other]);
    t.on(/ list --all --name \|/, { stdout: `${DOM}\trunning\nwindows-vm\tshut off\nnovalite-${other}\tpaused\n` });
    expect(await d.listDomains()).toEqual([
      { uuid: UUID, name: DOM, state: PowerState.RUNNING }, { uuid: other, name: `novalite-${other}`, state: PowerState.PAUSED },
    ]);
  });

  it('getConsoleOutput reads the tail of console.log; a missing domain is not found', async () => {
    const { t, d } = driver();
    t.on(/^tail -c 1048576 /, { stdout: 'login: ' });
    expect(await d.getConsoleOutput(spec())).toBe('login: ');
    expect(t.commands()[0]).toBe(`tail -c 1048576 ${DIR}/console.log 2>/dev/null`);
    t.on(/^tail /, { code: 1 }).on(/ domstate /, NOT_FOUND);
    await expect(d.getConsoleOutput(spec())).rejects.toBeInstanceOf(InstanceNotFoundOnHost);
  });
});
