// The host probe: one script, its output as libvirt 9 on a Debian host prints it, and what the
// driver makes of it (TCG unless /dev/kvm is really usable).
import { spawnSync } from 'node:child_process';
import { HostError } from '../../../../src/lib/errors';
import type { HostTarget } from '../../../../src/virt/driver';
import { LibvirtDriver } from '../../../../src/virt/libvirt/driver';
import { parseProbe, probeHost, probeScript, versionNumber } from '../../../../src/virt/libvirt/probe';
import { HostCommandError, Remote } from '../../../../src/virt/libvirt/remote';
import { FakeTransport } from '../../../../src/virt/libvirt/ssh/fake-transport';

const CAPS = `<capabilities>

  <host>
    <uuid>4c4c4544-0042-3510-8052-b4c04f4e3732</uuid>
    <cpu>
      <arch>x86_64</arch>
      <model>Broadwell-noTSX-IBRS</model>
      <vendor>Intel</vendor>
      <microcode version='4294967295'/>
      <signature family='6' model='79' stepping='1'/>
      <counter name='tsc' frequency='2199998000' scaling='no'/>
      <topology sockets='1' dies='1' cores='2' threads='1'/>
      <maxphysaddr mode='emulate' bits='40'/>
      <feature name='vme'/>
      <feature name='ss'/>
      <feature name='hypervisor'/>
      <feature name='arat'/>
      <pages unit='KiB' size='4'/>
      <pages unit='KiB' size='2048'/>
    </cpu>
    <power_management/>
    <iommu support='no'/>
    <migration_features>
      <live/>
      <uri_transports>
        <uri_transport>tcp</uri_transport>
        <uri_transport>rdma</uri_transport>
      </uri_transports>
    </migration_features>
    <topology>
      <cells num='1'>
        <cell id='0'>
          <memory unit='KiB'>5204172</memory>
          <cpus num='2'>
            <cpu id='0' socket_id='0' die_id='0' core_id='0' siblings='0'/>
            <cpu id='1' socket_id='0' die_id='0' core_id='1' siblings='1'/>
          </cpus>
        </cell>
      </cells>
    </topology>
    <secmodel>
      <model>apparmor</model>
      <doi>0</doi>
    </secmodel>
  </host>

  <guest>
    <os_type>hvm</os_type>
    <arch name='i686'>
      <wordsize>32</wordsize>
      <emulator>/usr/bin/qemu-system-i386</emulator>
      <machine maxCpus='255'>pc-i440fx-7.2</machine>
      <machine canonical='pc-i440fx-7.2' maxCpus='255'>pc</machine>
      <domain type='qemu'/>
    </arch>
  </guest>

  <guest>
    <os_type>hvm</os_type>
    <arch name='x86_64'>
      <wordsize>64</wordsize>
      <emulator>/usr/bin/qemu-system-x86_64</emulator>
      <machine maxCpus='255'>pc-i440fx-7.2</machine>
      <machine canonical='pc-i440fx-7.2' maxCpus='255'>pc</machine>
      <machine maxCpus='288'>pc-q35-7.2</machine>
      <machine canonical='pc-q35-7.2' maxCpus='288'>q35</machine>
      <domain type='qemu'/>
      <domain type='kvm'/>
    </arch>
    <features>
      <acpi default='on' toggle='yes'/>
      <apic default='on' toggle='no'/>
      <cpuselection/>
      <deviceboot/>
      <disksnapshot default='on' toggle='no'/>
    </features>
  </guest>

</capabilities>
`;

function output(over: Partial<Record<string, string>> = {}): string {
  const s = {
    caps: CAPS,
    nodeinfo: 'CPU model:           x86_64\nCPU(s):              2\nCPU frequency:       2199 MHz\nCPU socket(s):       1\nCore(s) per socket:  2\nThread(s) per core:  1\nNUMA cell(s):        1\nMemory size:         5204172 KiB\n\n',
    version: 'Compiled against library: libvirt 9.0.0\nUsing library: libvirt 9.0.0\nUsing API: QEMU 9.0.0\nRunning hypervisor: QEMU 7.2.0\nRunning against daemon: 9.0.0\n\n',
    nets: 'default\nisolated\n\n',
    df: '/dev/vda1         61665068 20117348  38366092      35% /\n',
    kvm: 'no\n',
    tools: 'qemu-img\ngenisoimage\n',
    hostname: 'compute-1\n',
    ...over,
  };
  return `${Object.entries(s).map(([k, v]) => `==${k}\n${v}`).join('')}==end\n`;
}

describe('parseProbe', () => {
  it('reads a libvirt 9 host: 2 vCPUs, 5082 MiB, TCG although the caps list kvm', () => {
    const f = parseProbe(output());
    expect(f).toMatchObject({
      vcpus: 2, memoryMb: 5082, localGb: 58, freeDiskGb: 36,
      hypervisorType: 'QEMU', hypervisorVersion: 7_002_000, libvirtVersion: '9.0.0', hostname: 'compute-1',
      arch: 'x86_64', cpuModel: 'Broadwell-noTSX-IBRS', cpuVendor: 'Intel', cpuFeatures: ['arat', 'hypervisor', 'ss', 'vme'],
      machineTypes: ['pc-i440fx-7.2', 'pc', 'pc-q35-7.2', 'q35'], defaultMachineType: 'pc-i440fx-7.2',
      kvmUsable: false, virtType: 'qemu',
      tools: { qemuImg: true, genisoimage: true, xorriso: false },
      networks: ['default', 'isolated'],
    });
  });

  it('uses kvm when /dev/kvm is usable and the caps offer it', () => {
    expect(parseProbe(output({ kvm: 'yes\n' }))).toMatchObject({ kvmUsable: true, virtType: 'kvm' });
  });

  it('stays on qemu when /dev/kvm exists but the caps offer no kvm domain', () => {
    const noKvm = output({ kvm: 'yes\n', caps: CAPS.replace("<domain type='kvm'/>", '') });
    expect(parseProbe(noKvm)).toMatchObject({ kvmUsable: false, virtType: 'qemu' });
  });

  it.each([
    ['garbage', 'garbage\nmore garbage'],
    ['a virsh error instead of caps', output({ caps: "error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory\n" })],
  ])('refuses %s with PROBE_FAILED', (_l, out) => {
    expect(() => parseProbe(out)).toThrow(HostError);
    expect(() => parseProbe(out)).toThrow(expect.objectContaining({ code: 'PROBE_FAILED', exitCode: 6 }));
  });

  it('refuses caps that are not well-formed XML', () => {
    expect(() => parseProbe(output({ caps: '<capabilities><host>' }))).toThrow(/Not well-formed XML/);
  });

  it('versionNumber encodes as Nova does', () => {
    expect(versionNumber('QEMU 7.2.22')).toBe(7_002_022);
    expect(versionNumber('8.1')).toBe(8_001_000);
    expect(versionNumber('unknown')).toBe(0);
  });
});

describe('probeHost', () => {
  it('sends a script that parses under /bin/sh -n and quotes the root', async () => {
    const t = new FakeTransport().on(() => true, { stdout: output() });
    const f = await probeHost(new Remote('h1', t), "/srv/nova lite/it's");
    expect(f.cpuInfo).toEqual({ arch: 'x86_64', model: 'Broadwell-noTSX-IBRS', vendor: 'Intel', features: ['arat', 'hypervisor', 'ss', 'vme'] });
    const script = t.commands()[0];
    expect(script).toBe(probeScript("/srv/nova lite/it's"));
    expect(script).toContain(`mkdir -p '/srv/nova lite/it'\\''s' && df -Pk`);
    expect(spawnSync('/bin/sh', ['-n'], { input: script }).status).toBe(0);
    expect(t.execs[0].timeoutMs).toBe(30_000);
  });

  it('treats output without the end marker as a failed command', async () => {
    const t = new FakeTransport().on(() => true, { code: 127, stdout: '==caps\n', stderr: 'sh: 1: virsh: not found\n' });
    const err = await probeHost(new Remote('h1', t), '/var/lib/novalite').catch((e) => e);
    expect(err).toBeInstanceOf(HostCommandError);
    expect(err.message).toBe('probe failed on host h1: sh: 1: virsh: not found');
  });

  it('is what getAvailableResource reports through the driver', async () => {
    const t = new FakeTransport().on(/^echo ==caps/, { stdout: output() });
    const target: HostTarget = {
      name: 'h1', address: '10.0.0.5',
      driverConfig: {
        ssh: { host: '10.0.0.5', port: 22, user: 'root', keyPath: '/k', hostKey: { type: 'ssh-ed25519', base64: 'AAAA', fingerprint: 'SHA256:x' } },
        root: '/var/lib/novalite', virtType: 'qemu', network: 'default', isoTool: 'genisoimage',
      },
    };
    const r = await new LibvirtDriver(target, () => t).getAvailableResource();
    expect(r).toEqual({
      vcpus: 2, memoryMb: 5082, localGb: 58, hypervisorType: 'QEMU', hypervisorVersion: 7_002_000,
      cpuInfo: { arch: 'x86_64', model: 'Broadwell-noTSX-IBRS', vendor: 'Intel', features: ['arat', 'hypervisor', 'ss', 'vme'] },
    });
  });
});
