// Cold and live migration with one FakeTransport per host: the token flow, the tar stream
// between hosts (also run for real through /bin/sh), revert and cleanup, and the local virsh
// invocation for live migration (run against a stub virsh on PATH).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HostError, NotSupportedError } from '../../../../src/lib/errors';
import type { HostTarget, ImageRef, InstanceSpec } from '../../../../src/virt/driver';
import { LibvirtDriver } from '../../../../src/virt/libvirt/driver';
import { parseHostConfig } from '../../../../src/virt/libvirt/host-config';
import * as liveUri from '../../../../src/virt/libvirt/live-uri';
import { liveMigrationCommand, runLocal } from '../../../../src/virt/libvirt/live-uri';
import { copyDir } from '../../../../src/virt/libvirt/migrate';
import { HostCommandError } from '../../../../src/virt/libvirt/remote';
import { FakeTransport } from '../../../../src/virt/libvirt/ssh/fake-transport';

const UUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const DOM = `novalite-${UUID}`;
const DIR = `/var/lib/novalite/instances/${UUID}`;
const PARKED = `${DIR}_resize`;
const KEY = { type: 'ssh-ed25519', base64: 'AAAA', fingerprint: 'SHA256:x' };

function target(name: string, host: string, over: Record<string, unknown> = {}, ssh: Record<string, unknown> = {}): HostTarget {
  return {
    name, address: host,
    driverConfig: { ssh: { host, port: 22, user: 'root', keyPath: '/k', hostKey: KEY, ...ssh }, root: '/var/lib/novalite', virtType: 'qemu', network: 'default', isoTool: 'genisoimage', ...over },
  };
}
function image(): ImageRef {
  return { id: 'img-1', name: 'cirros', checksum: 'c'.repeat(32), size: 5, diskFormat: 'qcow2', properties: {}, path: null };
}
function spec(over: Partial<InstanceSpec> = {}): InstanceSpec {
  return {
    uuid: UUID, name: 'web1', hostname: 'web1', projectId: 'p1', userId: 'u1',
    flavor: { name: 'm1.tiny', vcpus: 1, memoryMb: 128, rootGb: 1, ephemeralGb: 0, swapMb: 0, extraSpecs: {} },
    image: image(), userData: null, keyData: null, metadata: {}, configDrive: false, network: 'auto', ...over,
  };
}
/** Two hosts, each with its own fake transport; the driver for h1 makes peers through the same factory. */
function hosts(over: Record<string, unknown> = {}) {
  const t: Record<string, FakeTransport> = { h1: new FakeTransport(), h2: new FakeTransport() };
  const h1 = target('h1', '10.0.0.5', over);
  const h2 = target('h2', '10.0.0.6', over);
  const src = new LibvirtDriver(h1, (_cfg, tg) => t[tg.name]);
  t.h1.on(/ domstate /, { stdout: 'shut off\n' });
  return { t, src, dest: src.peer(h2), h1, h2 };
}

describe('cold migration', () => {
  it('cross-host: parks the directory, streams it source → destination, hands a token that finishes there', async () => {
    const { t, src, dest, h2 } = hosts();
    t.h1.on(/^cd /, { stdout: 'TAR-STREAM' });
    const token = await src.migrateDiskAndPowerOff(spec(), h2);
    expect(token).toEqual({ kind: 'libvirt-cold-migration', uuid: UUID, sourceHost: 'h1', sameHost: false });
    const park = t.h1.commands()[1].split('\n');
    expect(park).toEqual(['set -e', `rm -rf ${PARKED}`, `mv ${DIR} ${PARKED}`, `virsh -q -c qemu:///system undefine --managed-save ${DOM} >/dev/null`]);
    const pack = t.h1.execs.find((e) => e.piped)!;
    expect(pack.command).toMatch(new RegExp(`^cd ${PARKED} && \\{ \\[ -e disk \\] && printf .*; true; \\} \\| tar -c -S -f - -T -$`));
    const unpack = t.h2.execs.find((e) => e.piped)!;
    expect(unpack).toMatchObject({ command: `mkdir -p ${DIR} && tar -x -S -C ${DIR} -f -`, stdin: 'TAR-STREAM' });
    expect(t.h2.commands()[0]).toMatch(/^test -s \/var\/lib\/novalite\/_base\/c{32} /); // the base is there before the overlay
    const big = spec({ flavor: { ...spec().flavor, memoryMb: 512, rootGb: 2, ephemeralGb: 1 } });
    await dest.finishMigration(big, token, { powerOn: true });
    const fin = t.h2.execs[t.h2.execs.length - 1];
    expect(fin.command).toContain(`qemu-img resize -q ${DIR}/disk 2G`);
    expect(fin.command).toContain(`[ "$cur" -lt ${2 * 1024 ** 3} ]`);
    expect(fin.command).toContain(`[ -e ${DIR}/disk.eph0 ] || qemu-img create -q -f qcow2 ${DIR}/disk.eph0 1G`);
    expect(fin.command.split('\n').slice(-3)).toEqual([`cat > ${DIR}/libvirt.xml`, `virsh -q -c qemu:///system define ${DIR}/libvirt.xml`, `virsh -q -c qemu:///system start ${DOM}`]);
    expect(fin.stdin).toContain('<memory unit="KiB">524288</memory>');
  });

  it('same host: copies the parked directory locally, no streams', async () => {
    const { t, src, h1 } = hosts();
    const token = await src.migrateDiskAndPowerOff(spec(), h1);
    expect(token).toMatchObject({ sameHost: true, sourceHost: 'h1' });
    expect(t.h1.commands()).toContain(`mkdir -p ${DIR} && cp -a --sparse=always ${PARKED}/. ${DIR}`);
    expect(t.h1.execs.some((e) => e.piped)).toBe(false);
    expect(t.h2.execs).toHaveLength(0);
    await src.finishMigration(spec(), token, { powerOn: false });
    expect(t.h1.commands().pop()).not.toContain(' start ');
  });

  it('a failed copy empties the destination and puts the source back', async () => {
    const { t, src, h2 } = hosts();
    t.h2.on(/^mkdir -p .* && tar -x/, { code: 2, stderr: 'tar: disk: Cannot write: No space left on device\n' });
    const err = await src.migrateDiskAndPowerOff(spec(), h2).catch((e) => e);
    expect(err).toBeInstanceOf(HostCommandError);
    expect(err.message).toBe('disk copy (receive) failed on host h2: tar: disk: Cannot write: No space left on device');
    expect(t.h2.commands().pop()).toBe(`rm -rf ${DIR}`);
    const revert = t.h1.commands().pop()!;
    expect(revert).toContain(`mv ${PARKED} ${DIR}`);
    expect(revert).toContain(`define ${DIR}/libvirt.xml`);
  });

  it.each([
    ['another kind', { kind: 'fake', uuid: UUID }],
    ['another server', { kind: 'libvirt-cold-migration', uuid: '00000000-0000-4000-8000-000000000000' }],
    ['nothing', null],
  ])('finishMigration refuses a token for %s (BAD_MIGRATION_TOKEN)', async (_l, token) => {
    const { t, dest } = hosts();
    await expect(dest.finishMigration(spec(), token as never, { powerOn: true })).rejects.toMatchObject({ code: 'BAD_MIGRATION_TOKEN' });
    expect(t.h2.execs).toHaveLength(0);
  });

  it('revert moves the parked directory back and defines; cleanup removes only the _resize directory', async () => {
    const { t, src } = hosts();
    await src.finishRevertMigration(spec(), { powerOn: true });
    expect(t.h1.commands()[0].split('\n')).toEqual([
      'set -e', `if [ -d ${PARKED} ]; then rm -rf ${DIR}; mv ${PARKED} ${DIR}; fi`,
      `virsh -q -c qemu:///system define ${DIR}/libvirt.xml`, `virsh -q -c qemu:///system start ${DOM}`,
    ]);
    t.h1.reset();
    await src.cleanupMigrationSource(spec());
    expect(t.h1.commands()).toEqual([`rm -rf ${PARKED}`]);
  });
});

describe('copyDir through a real shell', () => {
  it('the pack and unpack commands move the files that exist, and only those', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'novalite-copy-'));
    try {
      const shell = () => new FakeTransport().on(() => true, (cmd, stdin) => {
        const out = execFileSync('/bin/sh', ['-c', cmd], { input: stdin ?? '' });
        return { stdout: out.toString('utf8') };
      });
      const t: Record<string, FakeTransport> = { h1: shell(), h2: shell() };
      const src = new LibvirtDriver(target('h1', '10.0.0.5', { root: tmp }), (_c, tg) => t[tg.name]);
      const dest = src.peer(target('h2', '10.0.0.6', { root: tmp }));
      fs.mkdirSync(path.join(tmp, 'a'));
      fs.writeFileSync(path.join(tmp, 'a', 'disk'), 'overlay');
      fs.writeFileSync(path.join(tmp, 'a', 'libvirt.xml'), '<domain/>');
      fs.writeFileSync(path.join(tmp, 'a', 'other'), 'not moved');
      await copyDir(src, path.join(tmp, 'a'), dest, path.join(tmp, 'b c'), ['disk', 'disk.swap', 'libvirt.xml']);
      expect(fs.readdirSync(path.join(tmp, 'b c')).sort()).toEqual(['disk', 'libvirt.xml']);
      expect(fs.readFileSync(path.join(tmp, 'b c', 'disk'), 'utf8')).toBe('overlay');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('live migration', () => {
  const cfg = (name: string, host: string, ssh: Record<string, unknown> = {}, over: Record<string, unknown> = {}) => parseHostConfig(target(name, host, over, ssh));

  it('is an argument vector for virsh with both URIs carrying the key file and the wrapper', () => {
    const cmd = liveMigrationCommand(cfg('h1', '10.0.0.5'), cfg('h2', '10.0.0.6', { port: 2222, keyPath: '/keys/a b', hostKey: { ...KEY, base64: 'BBBB' } }, { migrationAddress: '192.168.9.6' }), DOM);
    expect(cmd.file).toBe('virsh');
    expect(cmd.args).toEqual(['-c', expect.any(String), 'migrate', '--live', '--persistent', '--undefinesource', '--copy-storage-inc', DOM, expect.any(String), 'tcp://192.168.9.6']);
    const [from, to] = [new URL(cmd.args[1]), new URL(cmd.args[8])];
    expect([from.protocol, from.username, from.hostname, from.port, from.pathname]).toEqual(['qemu+ssh:', 'root', '10.0.0.5', '22', '/system']);
    expect(Object.fromEntries(from.searchParams)).toEqual({ keyfile: '/k', command: '@DIR@/ssh', no_tty: '1' });
    expect([to.hostname, to.port, to.searchParams.get('keyfile')]).toEqual(['10.0.0.6', '2222', '/keys/a b']);
    expect(cmd.files.known_hosts).toEqual({ data: '10.0.0.5 ssh-ed25519 AAAA\n[10.0.0.6]:2222 ssh-ed25519 BBBB\n', mode: 0o600 });
    expect(cmd.files.ssh.mode).toBe(0o700);
    expect(cmd.files.ssh.data).toContain('-o UserKnownHostsFile=@DIR@/known_hosts -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes');
  });

  it('refuses a host without a pinned key (HOST_KEY_UNKNOWN)', () => {
    expect(() => liveMigrationCommand(cfg('h1', '10.0.0.5'), cfg('h2', '10.0.0.6', { hostKey: null }), DOM)).toThrow(expect.objectContaining({ code: 'HOST_KEY_UNKNOWN' }));
  });

  it('runLocal hands virsh URIs whose wrapper and known_hosts exist while it runs, and removes them after', async () => {
    const cmd = liveMigrationCommand(cfg('h1', '10.0.0.5'), cfg('h2', '10.0.0.6', { port: 2200 }), DOM);
    const check = `const fs=require('fs');const out=[];for(const a of process.argv.slice(1)){if(!a.startsWith('qemu+ssh:'))continue;
      const w=new URL(a).searchParams.get('command');const kh=/UserKnownHostsFile=(\\S+)/.exec(fs.readFileSync(w,'utf8'))[1];
      fs.accessSync(w,fs.constants.X_OK);out.push(w, fs.readFileSync(kh,'utf8'));}console.log(JSON.stringify(out));`;
    const r = await runLocal({ ...cmd, file: process.execPath, args: ['-e', check, '--', ...cmd.args] }, 20_000);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [wrapper, known, wrapper2] = JSON.parse(r.stdout);
    expect(wrapper).toMatch(/novalite-migrate-.*\/ssh$/);
    expect(wrapper2).toBe(wrapper);
    expect(known).toBe('10.0.0.5 ssh-ed25519 AAAA\n[10.0.0.6]:2200 ssh-ed25519 AAAA\n');
    expect(fs.existsSync(path.dirname(wrapper))).toBe(false);
  });

  it('runLocal reports a missing virsh as NotSupported and a failing one by its exit code', async () => {
    await expect(runLocal({ file: 'novalite-no-such-virsh', args: [], files: {} }, 5_000)).rejects.toBeInstanceOf(NotSupportedError);
    expect(await runLocal({ file: '/bin/sh', args: ['-c', 'echo "error: migration failed" >&2; exit 3'], files: {} }, 5_000))
      .toEqual({ code: 3, stdout: '', stderr: 'error: migration failed\n' });
  });

  it('liveMigrate drives the local virsh, then removes the source directory; a failure cleans the destination', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'novalite-live-'));
    // child_process sees the real environment, not jest's copy of process.env: point the
    // command at a stub virsh instead of changing PATH, and let runLocal run it for real.
    const real = liveUri.runLocal;
    const spy = jest.spyOn(liveUri, 'runLocal').mockImplementation((cmd, ms) => real({ ...cmd, file: path.join(tmp, 'virsh') }, ms));
    fs.writeFileSync(path.join(tmp, 'virsh'), `#!/bin/sh\nprintf '%s\\n' "$@" > ${tmp}/args\n[ -e ${tmp}/fail ] || exit 0\necho "error: operation failed: migration out job: unexpectedly failed" >&2; exit 1\n`, { mode: 0o755 });
    try {
      const { t, src, h2 } = hosts();
      t.h1.on(/qemu-img info/, { stdout: 'disk 1073741824\ndisk.swap 536870912\n' });
      await src.liveMigrate(spec(), h2);
      expect(fs.readFileSync(path.join(tmp, 'args'), 'utf8')).toContain(`migrate\n--live\n--persistent\n--undefinesource\n--copy-storage-inc\n${DOM}\n`);
      expect(t.h2.commands().find((c) => c.startsWith('set -e'))!.split('\n')).toEqual([
        'set -e', `qemu-img create -q -f qcow2 -F qcow2 -b /var/lib/novalite/_base/${'c'.repeat(32)} ${DIR}/disk 1073741824`,
        `qemu-img create -q -f qcow2 ${DIR}/disk.swap 536870912`, `touch ${DIR}/console.log`,
      ]);
      expect(t.h1.commands().pop()).toBe(`rm -rf ${DIR}`);
      t.h1.reset(); t.h2.reset();
      fs.writeFileSync(path.join(tmp, 'fail'), '');
      await expect(src.liveMigrate(spec(), h2)).rejects.toThrow('live migration failed on host h1: error: operation failed: migration out job: unexpectedly failed');
      expect(t.h2.commands().pop()).toBe(`rm -rf ${DIR}`);
      expect(t.h1.commands()).not.toContain(`rm -rf ${DIR}`);
    } finally {
      spy.mockRestore();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('refuses the same host and hosts with different roots', async () => {
    const { src, h1 } = hosts();
    await expect(src.liveMigrate(spec(), h1)).rejects.toMatchObject({ code: 'SAME_HOST' });
    await expect(src.liveMigrate(spec(), target('h3', '10.0.0.7', { root: '/srv/nl' }))).rejects.toBeInstanceOf(HostError);
    await expect(src.liveMigrate(spec(), target('h3', '10.0.0.7', { root: '/srv/nl' }))).rejects.toMatchObject({ code: 'ROOT_MISMATCH' });
  });
});
