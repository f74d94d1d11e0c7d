// spawnPlan: the script must parse, quote every value, and really work: its tar is extracted
// by the system tar and the whole script is run by /bin/sh against stub virsh/qemu-img tools.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { HostTarget, ImageRef, InstanceSpec } from '../../../../src/virt/driver';
import { parseHostConfig } from '../../../../src/virt/libvirt/host-config';
import { layoutOf } from '../../../../src/virt/libvirt/layout';
import { HostPaths } from '../../../../src/virt/libvirt/paths';
import { basesOf, MISSING_BASE, spawnPlan } from '../../../../src/virt/libvirt/spawn';
import { child, parseXml } from '../../../../src/virt/libvirt/xml';

const UUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const SUM = 'a'.repeat(32);

function target(over: Record<string, unknown> = {}): HostTarget {
  return {
    name: 'h1', address: '10.0.0.5',
    driverConfig: {
      ssh: { host: '10.0.0.5', port: 22, user: 'root', keyPath: '/k', hostKey: { type: 'ssh-ed25519', base64: 'AAAA', fingerprint: 'SHA256:x' } },
      root: '/var/lib/novalite', virtType: 'qemu', network: 'default', isoTool: 'genisoimage', ...over,
    },
  };
}
function image(over: Partial<ImageRef> = {}): ImageRef {
  return { id: 'img-1', name: 'cirros', checksum: SUM, size: 5, diskFormat: 'qcow2', properties: {}, path: null, ...over };
}
function spec(over: Partial<InstanceSpec> = {}): InstanceSpec {
  return {
    uuid: UUID, name: 'web1', hostname: 'web1', projectId: 'p1', userId: 'u1',
    flavor: { name: 'm1.tiny', vcpus: 1, memoryMb: 128, rootGb: 1, ephemeralGb: 0, swapMb: 0, extraSpecs: {} },
    image: image(), userData: null, keyData: null, metadata: {}, configDrive: false, network: 'auto', ...over,
  };
}
function plan(inst: InstanceSpec, over: Record<string, unknown> = {}) {
  const cfg = parseHostConfig(target(over));
  const paths = new HostPaths(cfg.root);
  return spawnPlan(inst, cfg, paths, layoutOf(inst, cfg, paths));
}

let tmp: string;
beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'novalite-spawn-')); });
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function extract(stdin: Buffer): string {
  const dir = path.join(tmp, 'x');
  fs.mkdirSync(dir);
  const r = spawnSync('tar', ['-x', '-C', dir, '-f', '-'], { input: stdin });
  expect(r.stderr.toString()).toBe('');
  expect(r.status).toBe(0);
  return dir;
}

const HOSTILE = ['$(touch /tmp/pwned)', '<x&y>', `a'b"c`];

describe('spawnPlan script', () => {
  it.each(HOSTILE)('parses under /bin/sh -n and never carries the server name %j', (name) => {
    const p = plan(spec({ name, hostname: name, configDrive: true, userData: name, metadata: { k: name } }));
    const r = spawnSync('/bin/sh', ['-n'], { input: p.script });
    expect(r.stderr.toString()).toBe('');
    expect(r.status).toBe(0);
    expect(p.script).not.toContain(name);
    expect(p.script).toContain(`virsh -q -c qemu:///system start novalite-${UUID}`);
    expect(child(parseXml(p.xml), 'title')?.text).toBe(name);
  });

  it('quotes paths that need it (a root with spaces and a quote)', () => {
    const p = plan(spec(), { root: "/srv/my vms/it's" });
    expect(p.script).toContain(`mkdir -p '/srv/my vms/it'\\''s/instances/${UUID}'`);
    expect(spawnSync('/bin/sh', ['-n'], { input: p.script }).status).toBe(0);
  });

  it('checks every base before it makes anything, and makes disks for the flavor', () => {
    const kernel = image({ id: 'k', checksum: 'b'.repeat(32), diskFormat: 'aki' });
    const ramdisk = image({ id: 'r', checksum: null, diskFormat: 'ari' });
    const inst = spec({ image: image({ diskFormat: 'raw', kernel, ramdisk }), flavor: { ...spec().flavor, rootGb: 0, ephemeralGb: 2, swapMb: 512 } });
    const lines = plan(inst).script.split('\n');
    const base = (k: string) => `/var/lib/novalite/_base/${k}`;
    expect(lines.slice(0, 9)).toEqual([
      'set -e', 'umask 077', `if [ -e /var/lib/novalite/instances/${UUID}/disk ] && virsh -q -c qemu:///system domstate novalite-${UUID} 2>/dev/null | grep -qx running; then exit 0; fi`,
      `test -s ${base(SUM)} || exit ${MISSING_BASE}`, `touch -c ${base(SUM)}`,
      `test -s ${base('b'.repeat(32))} || exit 42`, `touch -c ${base('b'.repeat(32))}`,
      `test -s ${base('id-r')} || exit 42`, `touch -c ${base('id-r')}`,
    ]);
    const dir = `/var/lib/novalite/instances/${UUID}`;
    expect(lines).toContain(`qemu-img create -q -f qcow2 -F raw -b ${base(SUM)} ${dir}/disk`);
    expect(lines).toContain(`qemu-img create -q -f qcow2 ${dir}/disk.eph0 2G`);
    expect(lines).toContain(`qemu-img create -q -f qcow2 ${dir}/disk.swap 512M`);
    expect(lines).toContain(`cp ${base('id-r')} ${dir}/ramdisk`);
    expect(basesOf(layoutOf(inst, parseHostConfig(target()), new HostPaths('/r'))).map((b) => b.id)).toEqual(['img-1', 'k', 'r']);
  });

  it('boots from a blank disk of at least 1G without an image, and needs no base then', () => {
    const lines = plan(spec({ image: null, flavor: { ...spec().flavor, rootGb: 0 } })).script.split('\n');
    expect(lines.some((l) => l.startsWith('test -s'))).toBe(false);
    expect(lines).toContain(`qemu-img create -q -f qcow2 /var/lib/novalite/instances/${UUID}/disk 1G`);
  });
});

describe('spawnPlan stdin tar', () => {
  it('extracts with the system tar into libvirt.xml (0600) and bases', () => {
    const p = plan(spec({ name: '<x&y>' }));
    const dir = extract(p.stdin);
    expect(fs.readdirSync(dir).sort()).toEqual(['bases', 'libvirt.xml']);
    expect(fs.readFileSync(path.join(dir, 'libvirt.xml'), 'utf8')).toBe(p.xml);
    expect(fs.statSync(path.join(dir, 'libvirt.xml')).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(dir, 'bases'), 'utf8')).toBe(`${SUM}\n`);
    expect(p.xml).toContain('&lt;x&amp;y&gt;');
  });

  it('carries the config drive tree with meta_data, user_data and network_data', () => {
    const name = '$(touch /tmp/pwned)';
    const p = plan(spec({ name, configDrive: true, userData: '#!/bin/sh\necho hi\n', keyName: 'k1', keyData: 'ssh-ed25519 AAAAC3 me@x', metadata: { role: 'web' } }));
    const latest = path.join(extract(p.stdin), 'configdrive/openstack/latest');
    expect(fs.readdirSync(latest).sort()).toEqual(['meta_data.json', 'network_data.json', 'user_data', 'vendor_data.json', 'vendor_data2.json']);
    const meta = JSON.parse(fs.readFileSync(path.join(latest, 'meta_data.json'), 'utf8'));
    expect(meta).toMatchObject({ uuid: UUID, name, hostname: 'web1', public_keys: { k1: 'ssh-ed25519 AAAAC3 me@x' }, meta: { role: 'web' } });
    expect(fs.readFileSync(path.join(latest, 'user_data'), 'utf8')).toBe('#!/bin/sh\necho hi\n');
    const net = JSON.parse(fs.readFileSync(path.join(latest, 'network_data.json'), 'utf8'));
    expect(net.links[0].ethernet_mac_address).toMatch(/^fa:16:3e(:[0-9a-f]{2}){3}$/);
    expect(net.networks[0]).toMatchObject({ type: 'ipv4_dhcp', network_id: 'default' });
    expect(p.script).toContain(`genisoimage -o /var/lib/novalite/instances/${UUID}/disk.config`);
    expect(p.script).toContain(`rm -rf /var/lib/novalite/instances/${UUID}/configdrive`);
  });
});

describe('spawnPlan run by /bin/sh with stub tools', () => {
  const STUB = {
    virsh: 'echo "virsh $*" >> "$STUBLOG"\ncase "$*" in *domstate*) [ -n "$RUNNING" ] && echo running;; esac; true',
    'qemu-img': 'echo "qemu-img $*" >> "$STUBLOG"\nfor a; do case "$a" in "$ROOT"/instances/*) : > "$a";; esac; done',
    genisoimage: 'echo "genisoimage" >> "$STUBLOG"\nprev=; for a; do [ "$prev" = -o ] && out=$a; prev=$a; done\n(cd "$a" && find . -type f | sort) > "$out"',
  };
  function run(p: { script: string; stdin: Buffer }, root: string, extraEnv: Record<string, string> = {}) {
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    for (const [n, body] of Object.entries(STUB)) fs.writeFileSync(path.join(bin, n), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    const log = path.join(tmp, 'log');
    const r = spawnSync('/bin/sh', ['-c', p.script], { input: p.stdin, env: { PATH: `${bin}:${process.env.PATH}`, STUBLOG: log, ROOT: root, ...extraEnv } });
    return { status: r.status, stderr: r.stderr.toString(), log: fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [] };
  }

  it('exits 42 before touching anything when a base is missing', () => {
    const root = path.join(tmp, 'root');
    const r = run(plan(spec({ configDrive: true }), { root }), root);
    expect(r.status).toBe(MISSING_BASE);
    expect(r.log).toEqual([]);
    expect(fs.existsSync(path.join(root, 'instances'))).toBe(false);
  });

  it('makes the instance directory, disks and ISO, then defines and starts the domain; a hostile name runs nothing', () => {
    const root = path.join(tmp, 'root');
    fs.mkdirSync(path.join(root, '_base'), { recursive: true });
    fs.writeFileSync(path.join(root, '_base', SUM), 'base');
    const name = `$(touch ${tmp}/pwned)\`touch ${tmp}/pwned\``;
    const r = run(plan(spec({ name, hostname: name, userData: name, configDrive: true }), { root }), root);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(tmp, 'pwned'))).toBe(false);
    const dir = path.join(root, 'instances', UUID);
    expect(fs.readdirSync(dir).sort()).toEqual(['bases', 'console.log', 'disk', 'disk.config', 'libvirt.xml']);
    expect(fs.readFileSync(path.join(dir, 'disk.config'), 'utf8')).toContain('./openstack/latest/meta_data.json');
    expect(r.log).toEqual([
      `qemu-img create -q -f qcow2 -F qcow2 -b ${root}/_base/${SUM} ${dir}/disk 1G`,
      'genisoimage',
      `virsh -q -c qemu:///system define ${dir}/libvirt.xml`,
      `virsh -q -c qemu:///system start novalite-${UUID}`,
    ]);
  });

  it('a retried spawn of a server whose domain already runs touches nothing (its disk is never recreated)', () => {
    const root = path.join(tmp, 'root');
    fs.mkdirSync(path.join(root, '_base'), { recursive: true });
    fs.writeFileSync(path.join(root, '_base', SUM), 'base');
    const dir = path.join(root, 'instances', UUID);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'disk'), 'the running guest\'s data');
    const r = run(plan(spec({}), { root }), root, { RUNNING: '1' });
    expect(r.status).toBe(0);
    expect(r.log).toEqual([`virsh -q -c qemu:///system domstate novalite-${UUID}`]);
    expect(fs.readFileSync(path.join(dir, 'disk'), 'utf8')).toBe('the running guest\'s data');
  });
});
