// The ustar writer checked by the system tar, and the config drive's files and ISO command.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { InstanceSpec } from '../../../../src/virt/driver';
import { configDriveEntries, isoCommand, metaData, networkData } from '../../../../src/virt/libvirt/configdrive';
import { tarOf } from '../../../../src/virt/libvirt/tar';

let tmp: string;
beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'novalite-tar-')); });
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function systemTar(args: string[], input: Buffer) {
  const r = spawnSync('tar', args, { input, cwd: tmp });
  return { status: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

describe('tarOf', () => {
  it('writes an archive the system tar lists and extracts byte for byte, with modes and implied directories', () => {
    const big = Buffer.alloc(1500, 0xab); // spans blocks and needs padding
    const archive = tarOf([
      { name: 'libvirt.xml', data: '<domain>ü</domain>', mode: 0o600 },
      { name: 'a/b/c.bin', data: big },
      { name: 'a/b/empty', data: '' },
      { name: 'a/d.json', data: '{}' },
    ]);
    expect(archive.length % 512).toBe(0);
    const list = systemTar(['-t', '-v', '-f', '-'], archive);
    expect(list.stderr).toBe('');
    expect(list.stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/).pop())).toEqual(['libvirt.xml', 'a/', 'a/b/', 'a/b/c.bin', 'a/b/empty', 'a/d.json']);
    const x = systemTar(['-x', '-f', '-'], archive);
    expect(x).toMatchObject({ status: 0, stderr: '' });
    expect(fs.readFileSync(path.join(tmp, 'libvirt.xml'), 'utf8')).toBe('<domain>ü</domain>');
    expect(fs.statSync(path.join(tmp, 'libvirt.xml')).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(tmp, 'a/b/c.bin')).equals(big)).toBe(true);
    expect(fs.statSync(path.join(tmp, 'a/b/empty')).size).toBe(0);
    expect(fs.statSync(path.join(tmp, 'a/b')).isDirectory()).toBe(true);
  });

  it('an empty list is a valid empty archive', () => {
    const archive = tarOf([]);
    expect(archive.length).toBe(1024);
    expect(systemTar(['-t', '-f', '-'], archive)).toMatchObject({ status: 0, stdout: '', stderr: '' });
  });

  it.each([
    ['a parent reference', '../evil'],
    ['a parent reference inside', 'configdrive/../../etc/passwd'],
    ['an absolute name', '/etc/passwd'],
    ['an empty name', ''],
    ['a name of 100 bytes or more', 'x'.repeat(100)],
    ['a non-ASCII name', 'méta.json'],
    ['a control character', 'a\nb'],
  ])('refuses %s', (_l, name) => {
    expect(() => tarOf([{ name, data: 'x' }])).toThrow(/Not a safe tar entry name/);
  });

  it('accepts a name of 99 bytes and a dotted name that is not ..', () => {
    const archive = tarOf([{ name: 'y'.repeat(99), data: '1' }, { name: '..hidden/.x', data: '2' }]);
    expect(systemTar(['-x', '-f', '-'], archive).status).toBe(0);
    expect(fs.readFileSync(path.join(tmp, 'y'.repeat(99)), 'utf8')).toBe('1');
    expect(fs.readFileSync(path.join(tmp, '..hidden/.x'), 'utf8')).toBe('2');
  });
});

const UUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
function spec(over: Partial<InstanceSpec> = {}): InstanceSpec {
  return {
    uuid: UUID, name: 'web "1"', hostname: 'web-1', projectId: 'p1', userId: 'u1',
    flavor: { name: 'm1.tiny', vcpus: 1, memoryMb: 128, rootGb: 1, ephemeralGb: 0, swapMb: 0, extraSpecs: {} },
    image: null, userData: null, keyData: null, metadata: { role: 'web' }, configDrive: true, network: 'auto', ...over,
  };
}

describe('config drive', () => {
  it('metaData carries identity, metadata and the key both as public_keys and keys', () => {
    expect(metaData(spec({ keyName: 'k1', keyData: 'ssh-ed25519 AAAA me' }), 'az1')).toEqual({
      uuid: UUID, name: 'web "1"', hostname: 'web-1', project_id: 'p1', availability_zone: 'az1', launch_index: 0,
      meta: { role: 'web' }, public_keys: { k1: 'ssh-ed25519 AAAA me' },
      keys: [{ name: 'k1', type: 'ssh', data: 'ssh-ed25519 AAAA me' }], devices: [],
    });
  });

  it('metaData without a key has empty public_keys and no keys; an unnamed key is "default"', () => {
    const m = metaData(spec(), null);
    expect(m.public_keys).toEqual({});
    expect(m).not.toHaveProperty('keys');
    expect(m.availability_zone).toBeNull();
    expect(metaData(spec({ keyData: 'ssh-rsa B' }), null).public_keys).toEqual({ default: 'ssh-rsa B' });
  });

  it('networkData has one DHCP network per NIC, linked by MAC', () => {
    expect(networkData([{ mac: 'fa:16:3e:00:00:01', network: 'default' }, { mac: 'fa:16:3e:00:00:02', network: null }])).toEqual({
      links: [
        { id: 'tap0', type: 'phy', ethernet_mac_address: 'fa:16:3e:00:00:01', mtu: 1500, vif_id: '0' },
        { id: 'tap1', type: 'phy', ethernet_mac_address: 'fa:16:3e:00:00:02', mtu: 1500, vif_id: '1' },
      ],
      networks: [
        { id: 'network0', type: 'ipv4_dhcp', link: 'tap0', network_id: 'default' },
        { id: 'network1', type: 'ipv4_dhcp', link: 'tap1', network_id: 'net1' },
      ],
      services: [],
    });
    expect(networkData([])).toEqual({ links: [], networks: [], services: [] });
  });

  it('entries sit under openstack/latest/ and user_data keeps the user\'s bytes (only when given)', () => {
    const names = (e: { name: string }[]) => e.map((x) => x.name);
    const without = configDriveEntries('cd/', spec(), [], null);
    expect(names(without)).toEqual(['cd/openstack/latest/meta_data.json', 'cd/openstack/latest/network_data.json', 'cd/openstack/latest/vendor_data.json', 'cd/openstack/latest/vendor_data2.json']);
    const userData = '#cloud-config\nruncmd: [echo "$(id)"]\n';
    const withUd = configDriveEntries('cd/', spec({ userData }), [{ mac: 'fa:16:3e:00:00:01', network: 'default' }], 'nova');
    expect(withUd.find((e) => e.name.endsWith('user_data'))?.data).toBe(userData);
    expect(systemTar(['-x', '-f', '-'], tarOf(withUd)).status).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(tmp, 'cd/openstack/latest/meta_data.json'), 'utf8'))).toMatchObject({ name: 'web "1"', availability_zone: 'nova' });
  });

  it('isoCommand labels the volume config-2 and quotes paths, for both tools', () => {
    expect(isoCommand('genisoimage', '/r/i/configdrive', "/r/i/disk'.config")).toBe(
      "genisoimage -o '/r/i/disk'\\''.config' -ldots -allow-lowercase -allow-multidot -l -quiet -J -r -V config-2 /r/i/configdrive");
    expect(isoCommand('xorriso', '/r/i/configdrive', '/r/i/disk.config')).toBe(
      'xorriso -as genisoimage -o /r/i/disk.config -ldots -allow-lowercase -allow-multidot -l -quiet -J -r -V config-2 /r/i/configdrive');
  });
});
