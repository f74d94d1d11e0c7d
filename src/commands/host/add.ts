import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { keyValues } from '../_render';
import { InvalidInputError } from '../../lib/errors';
import { hostView, HostView } from '../../lib/views/hosts';
import { floatFlag, ipFlag } from './_flags';

type Result = { host: HostView; probe?: { host_key_fingerprint: string; hostname: string; virt_type: string; kvm_usable: boolean; libvirt_version: string; networks: string[]; machine_types: string[]; free_disk_gb: number } };

export default class HostAdd extends BaseCommand<typeof HostAdd> {
  static override description = [
    'Register a compute host in a cell (and optionally an availability zone). Exit 4 when the name is taken.',
    'A libvirt host is reached over SSH: novalite connects, pins its host key (only a key whose fingerprint you pass, or any key with',
    '--accept-new-host-key), probes it (virsh capabilities, nodeinfo, free disk, KVM or TCG) and records what it found. Exit 6 when',
    'the host cannot be reached or offers another key than the one expected.',
  ].join('\n');
  static override examples = [
    '<%= config.bin %> host add kvm-1 --driver libvirt --address 10.0.0.11 --key ~/.ssh/novalite --host-key-fingerprint SHA256:5Gq… --az az1',
    '<%= config.bin %> host add lab --driver libvirt --address 127.0.0.1 --port 2222 --key ./id_ed25519 --accept-new-host-key --json',
    '<%= config.bin %> host add compute-1 --driver fake --vcpus 32 --memory-mb 131072 --disk-gb 2000 --az az1',
    '<%= config.bin %> host add sim-7 --driver fake --vcpus 8 --memory-mb 16384 --disk-gb 200 --fake-spawn-seconds 2 --fake-fail reboot --json',
  ];
  static override args = { name: Args.string({ description: 'Host name (letters, digits, ".", "_", "-").', required: true }) };
  static override flags = {
    driver: Flags.string({ description: 'Virt driver of the host: libvirt (over SSH) or fake.', options: ['libvirt', 'fake'], default: 'libvirt' }),
    address: Flags.string({ description: 'libvirt: SSH address (name or IP) of the host.' }),
    port: Flags.integer({ description: 'libvirt: SSH port.', default: 22 }),
    user: Flags.string({ description: 'libvirt: SSH user (root, or one allowed to run virsh and qemu-img).', default: 'root' }),
    key: Flags.string({ description: 'libvirt: private key file for SSH (only its path is stored).' }),
    'host-key-fingerprint': Flags.string({ description: 'libvirt: the SHA256:… fingerprint the host key must have (`ssh-keygen -lf` on the host).' }),
    'accept-new-host-key': Flags.boolean({ description: 'libvirt: pin whatever key the host offers now (trust on first use).' }),
    'instances-path': Flags.string({ description: 'libvirt: where novalite keeps disks and images on the host.', default: '/var/lib/novalite' }),
    network: Flags.string({ description: 'libvirt: libvirt network for server NICs (default: `default` when the host has it).' }),
    bridge: Flags.string({ description: 'libvirt: Linux bridge for server NICs instead of a libvirt network.' }),
    'migration-address': Flags.string({ description: 'libvirt: address other hosts reach this one on for live migration (default: --address).' }),
    'machine-type': Flags.string({ description: 'libvirt: default machine type (pc, q35); an image\'s hw_machine_type wins.' }),
    'cpu-mode': Flags.string({ description: 'libvirt: guest CPU mode under KVM.', options: ['host-model', 'host-passthrough', 'none'] }),
    'shutdown-timeout': Flags.integer({ description: 'libvirt: seconds a clean shutdown or soft reboot may take before it is forced.' }),
    vcpus: Flags.integer({ description: 'Physical CPUs the host offers (fake: required; libvirt: overrides the probe).' }),
    'memory-mb': Flags.integer({ description: 'RAM of the host in MB (fake: required; libvirt: overrides the probe).' }),
    'disk-gb': Flags.integer({ description: 'Local disk of the host in GB (fake: required; libvirt: overrides the probe).' }),
    az: Flags.string({ description: 'Availability zone; its aggregate is created when missing.' }),
    cell: Flags.string({ description: 'Cell (name or UUID); default: the first enabled cell.' }),
    'cpu-allocation-ratio': floatFlag({ description: 'vCPU overcommit of this host (default: aggregate, then [compute] setting).' }),
    'ram-allocation-ratio': floatFlag({ description: 'RAM overcommit of this host.' }),
    'disk-allocation-ratio': floatFlag({ description: 'Disk overcommit of this host.' }),
    'host-ip': ipFlag({ description: 'fake: IP address of the host.' }),
    'fake-spawn-seconds': floatFlag({ description: 'Fake driver: seconds a spawn takes.' }),
    'fake-fail': Flags.string({ description: 'Fake driver: an operation that fails on this host (repeatable).', multiple: true }),
  };

  protected async execute(): Promise<Result> {
    const f = this.flags;
    const ratios = { cpuAllocationRatio: f['cpu-allocation-ratio'], ramAllocationRatio: f['ram-allocation-ratio'], diskAllocationRatio: f['disk-allocation-ratio'] };
    if (f.driver === 'libvirt') {
      if (!f.address || !f.key) throw new InvalidInputError('A libvirt host needs --address and --key.', { hint: 'For a host without SSH, use --driver fake.' });
      if (f['fake-fail'] || f['fake-spawn-seconds'] !== undefined) throw new InvalidInputError('The --fake-* flags go with --driver fake.');
      const r = await this.ctx.sshHosts.add({
        name: this.args.name, driver: 'libvirt', address: f.address, port: f.port, user: f.user, keyPath: f.key,
        fingerprint: f['host-key-fingerprint'], acceptNewHostKey: f['accept-new-host-key'], az: f.az, cell: f.cell,
        root: f['instances-path'], network: f.network, bridge: f.bridge, migrationAddress: f['migration-address'],
        machineType: f['machine-type'], cpuMode: f['cpu-mode'], shutdownTimeoutSeconds: f['shutdown-timeout'],
        vcpus: f.vcpus, memoryMb: f['memory-mb'], diskGb: f['disk-gb'], ...ratios,
      });
      const p = r.probe;
      return {
        host: hostView(r.host),
        probe: { host_key_fingerprint: p.hostKey.fingerprint, hostname: p.hostname, virt_type: p.virtType, kvm_usable: p.kvmUsable, libvirt_version: p.libvirtVersion, networks: p.networks, machine_types: p.machineTypes, free_disk_gb: p.freeDiskGb },
      };
    }
    for (const [flag, v] of [['--vcpus', f.vcpus], ['--memory-mb', f['memory-mb']], ['--disk-gb', f['disk-gb']]] as const) {
      if (v === undefined) throw new InvalidInputError(`A fake host needs ${flag}.`, { hint: 'Fake hosts have nothing to probe: give --vcpus, --memory-mb and --disk-gb.' });
    }
    const driverConfig: Record<string, unknown> = { fail: f['fake-fail'] ?? [] };
    if (f['fake-spawn-seconds'] !== undefined) {
      if (f['fake-spawn-seconds'] < 0) throw new InvalidInputError('--fake-spawn-seconds must not be negative.');
      driverConfig.spawnSeconds = f['fake-spawn-seconds'];
    }
    const host = await this.ctx.hosts.add({
      name: this.args.name, driver: f.driver, vcpus: f.vcpus as number, memoryMb: f['memory-mb'] as number, diskGb: f['disk-gb'] as number, az: f.az, cell: f.cell,
      ...ratios, hostIp: f['host-ip'], driverConfig,
    });
    return { host: hostView(host) };
  }

  protected override renderHuman(r: Result): void {
    this.log(`Added host ${r.host.name} to cell ${r.host.cell}, zone ${r.host.availability_zone}.`);
    if (r.probe) this.log(`Pinned host key ${r.probe.host_key_fingerprint}; ${r.probe.virt_type === 'kvm' ? 'KVM' : 'no usable KVM: guests run under TCG (software emulation)'}.`);
    this.log(keyValues({ ...r.host }));
  }
}
