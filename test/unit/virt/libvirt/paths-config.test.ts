// Where things live on a host, how a host record parses, the layout of a server, and the small
// Remote helpers every operation leans on (error lines, domain state).
import { ConfigError } from '../../../../src/lib/errors';
import { PowerState } from '../../../../src/lib/model/states';
import type { HostTarget, InstanceSpec } from '../../../../src/virt/driver';
import { LibvirtDriver, powerStateOf } from '../../../../src/virt/libvirt/driver';
import { parseHostConfig } from '../../../../src/virt/libvirt/host-config';
import { layoutOf } from '../../../../src/virt/libvirt/layout';
import { domainName, HostPaths, uuidOfDomain } from '../../../../src/virt/libvirt/paths';
import { firstError, HostCommandError, Remote } from '../../../../src/virt/libvirt/remote';
import { FakeTransport } from '../../../../src/virt/libvirt/ssh/fake-transport';

const UUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const KEY = { type: 'ssh-ed25519', base64: 'AAAA', fingerprint: 'SHA256:x' };

function target(over: Record<string, unknown> = {}, ssh: Record<string, unknown> = {}): HostTarget {
  return {
    name: 'h1', address: '10.0.0.5',
    driverConfig: {
      ssh: { host: '10.0.0.5', port: 22, user: 'root', keyPath: '/k', hostKey: KEY, ...ssh },
      root: '/var/lib/novalite', virtType: 'qemu', network: 'default', isoTool: 'genisoimage', ...over,
    },
  };
}

describe('HostPaths and domain names', () => {
  const p = new HostPaths('/var/lib/novalite');

  it('puts everything of a server in one directory under instances/', () => {
    expect(p.instanceDir(UUID)).toBe(`/var/lib/novalite/instances/${UUID}`);
    expect(p.resizeDir(UUID)).toBe(`/var/lib/novalite/instances/${UUID}_resize`);
    expect(p.file(UUID, 'disk.config')).toBe(`/var/lib/novalite/instances/${UUID}/disk.config`);
    expect(p.baseImage('d41d8cd98f00b204e9800998ecf8427e')).toBe('/var/lib/novalite/_base/d41d8cd98f00b204e9800998ecf8427e');
    expect(p.baseImage('id-../../etc/passwd')).toBe('/var/lib/novalite/_base/id-.._.._etc_passwd');
  });

  it.each(['../etc', '', `${UUID}/../x`, UUID.toUpperCase(), `${UUID} `, '3f2504e0'])('refuses %j as a server UUID', (bad) => {
    expect(() => p.instanceDir(bad)).toThrow(TypeError);
    expect(() => p.resizeDir(bad)).toThrow(/Not a server UUID/);
    expect(() => p.file(bad, 'disk')).toThrow(TypeError);
  });

  it('uuidOfDomain inverts domainName and ignores other domains', () => {
    expect(domainName(UUID)).toBe(`novalite-${UUID}`);
    expect(uuidOfDomain(domainName(UUID))).toBe(UUID);
    expect(uuidOfDomain(` novalite-${UUID}\n`)).toBe(UUID);
    for (const other of ['win10', UUID, `novalite-${UUID}-x`, `novalite-${UUID.toUpperCase()}`, `xnovalite-${UUID}`, 'novalite-']) {
      expect(uuidOfDomain(other)).toBeNull();
    }
  });

  it('maps libvirt states to power states', () => {
    expect(['running', 'idle', 'in shutdown', 'paused', 'shut off', 'crashed', 'pmsuspended', 'missing', 'weird'].map(powerStateOf)).toEqual([
      PowerState.RUNNING, PowerState.RUNNING, PowerState.RUNNING, PowerState.PAUSED, PowerState.SHUTDOWN,
      PowerState.CRASHED, PowerState.SUSPENDED, PowerState.NOSTATE, PowerState.NOSTATE,
    ]);
  });
});

describe('parseHostConfig', () => {
  it('reads a full record and fills defaults', () => {
    expect(parseHostConfig(target())).toEqual({
      ssh: { host: '10.0.0.5', port: 22, user: 'root', keyPath: '/k', hostKey: KEY },
      root: '/var/lib/novalite', virtType: 'qemu', arch: 'x86_64', machineType: null, cpuMode: 'host-model',
      network: 'default', bridge: null, migrationAddress: '10.0.0.5', isoTool: 'genisoimage', shutdownTimeoutSeconds: 60,
    });
  });

  it('falls back to the target address, root and user; unknown enum values become the safe default', () => {
    const c = parseHostConfig({ name: 'h2', address: '192.0.2.9', driverConfig: { ssh: { keyPath: '/k', port: '2222' }, virtType: 'xen', cpuMode: 'weird', isoTool: 'mkisofs', shutdownTimeoutSeconds: -1 } });
    expect(c).toMatchObject({ ssh: { host: '192.0.2.9', port: 2222, user: 'root', hostKey: null }, root: '/var/lib/novalite', virtType: 'qemu', cpuMode: 'host-model', isoTool: null, shutdownTimeoutSeconds: 60 });
    expect(parseHostConfig(target({ shutdownTimeoutSeconds: 0.3 })).shutdownTimeoutSeconds).toBe(0.3);
  });

  it.each<[string, HostTarget]>([
    ['no key', target({}, { keyPath: undefined })],
    ['an empty key path', target({}, { keyPath: '' })],
    ['no address anywhere', { name: 'h1', address: null, driverConfig: { ssh: { keyPath: '/k' } } }],
    ['no ssh section', { name: 'h1', address: '10.0.0.5', driverConfig: {} }],
  ])('refuses a record with %s: a ConfigError naming the host', (_l, t) => {
    const err = (() => { try { parseHostConfig(t); } catch (e) { return e; } return null; })() as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe('Host h1 has no SSH address or key recorded.');
    expect(err.exitCode).toBe(7);
  });

  it.each([0, 65536, 'ssh', 22.5, -22])('refuses SSH port %j', (port) => {
    expect(() => parseHostConfig(target({}, { port }))).toThrow(new ConfigError(`Host h1: SSH port ${String(port)} is not valid.`));
  });

  it('refuses a malformed pinned host key', () => {
    expect(() => parseHostConfig(target({}, { hostKey: { type: 'ssh-ed25519' } }))).toThrow(/pinned host key record is malformed/);
  });

  it('the driver constructor fails the same way, before any connection is made', () => {
    const made: unknown[] = [];
    expect(() => new LibvirtDriver(target({}, { keyPath: null }), (cfg) => { made.push(cfg); return new FakeTransport(); })).toThrow(ConfigError);
    expect(made).toEqual([]);
  });
});

describe('layoutOf', () => {
  const inst = (over: Partial<InstanceSpec> = {}): InstanceSpec => ({
    uuid: UUID, name: 'web1', hostname: 'web1', projectId: 'p1', userId: 'u1',
    flavor: { name: 'm1', vcpus: 1, memoryMb: 128, rootGb: 1, ephemeralGb: 0, swapMb: 0, extraSpecs: {} },
    image: null, userData: null, keyData: null, metadata: {}, configDrive: false, network: 'auto', ...over,
  });
  const lay = (i: InstanceSpec, over: Record<string, unknown> = {}) => layoutOf(i, parseHostConfig(target(over)), new HostPaths('/r'));

  it('chooses NICs: none, a named network, the host network, the host bridge', () => {
    expect(lay(inst({ network: 'none' })).nics).toEqual([]);
    expect(lay(inst({ network: 'prod' })).nics.map((n) => [n.type, n.source])).toEqual([['network', 'prod']]);
    expect(lay(inst()).nics.map((n) => [n.type, n.source])).toEqual([['network', 'default']]);
    expect(lay(inst(), { network: null, bridge: 'br0' }).nics.map((n) => [n.type, n.source])).toEqual([['bridge', 'br0']]);
    expect(lay(inst(), { network: null }).nics).toEqual([]);
    expect(lay(inst()).nics[0].mac).toBe(lay(inst({ name: 'renamed' })).nics[0].mac);
  });

  it('takes the machine type from the image, then the host, then pc; a ramdisk only with a kernel', () => {
    const img = { id: 'i', name: 'i', checksum: null, size: 1, diskFormat: 'qcow2', properties: { hw_machine_type: 'q35' }, path: null };
    expect(lay(inst({ image: img }), { machineType: 'pc-i440fx-7.2' }).machineType).toBe('q35');
    expect(lay(inst(), { machineType: 'pc-i440fx-7.2' }).machineType).toBe('pc-i440fx-7.2');
    expect(lay(inst()).machineType).toBe('pc');
    expect(lay(inst({ ramdisk: { ...img, id: 'r' } })).ramdisk).toBeNull();
  });
});

describe('Remote', () => {
  it('firstError prefers an error: line, then stderr over stdout chatter', () => {
    expect(firstError({ code: 1, stdout: "Domain 'x' defined\n", stderr: "error: Failed to start domain 'x'\nerror: internal error: no kvm\n" })).toBe('error: internal error: no kvm');
    expect(firstError({ code: 1, stdout: "Domain 'x' defined from /r/libvirt.xml\n", stderr: "qemu-img: /r/disk: Could not open '/r/_base/abc': No such file or directory\n" }))
      .toBe("qemu-img: /r/disk: Could not open '/r/_base/abc': No such file or directory");
    expect(firstError({ code: 3, stdout: 'only stdout\n', stderr: '' })).toBe('only stdout');
    expect(firstError({ code: 9, stdout: '', stderr: '\n' })).toBe('exit code 9');
    expect(firstError({ code: 1, stdout: '', stderr: 'x'.repeat(500) })).toBe(`${'x'.repeat(400)}…`);
  });

  it('run turns a non-zero exit into a HostCommandError; domState reads the first line or says missing', async () => {
    const t = new FakeTransport().on('false', { code: 1, stderr: 'boom\n' })
      .on(/domstate a$/, { stdout: 'running\n\n' }).on(/domstate b$/, { code: 1, stderr: "error: failed to get domain 'b'" })
      .on(/domstate c$/, { code: 1, stderr: 'error: authentication failed' });
    const r = new Remote('h1', t);
    await expect(r.run('thing', 'false')).rejects.toThrow(new HostCommandError('h1', 'thing', { code: 1, stdout: '', stderr: 'boom' }));
    expect(await r.domState('a')).toBe('running');
    expect(await r.domState('b')).toBe('missing');
    await expect(r.domState('c')).rejects.toThrow('virsh domstate failed on host h1: error: authentication failed');
    expect(t.commands().slice(1)).toEqual(['virsh -q -c qemu:///system domstate a', 'virsh -q -c qemu:///system domstate b', 'virsh -q -c qemu:///system domstate c']);
  });
});
