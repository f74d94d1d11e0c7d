import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { keyValues } from '../_render';
import { InvalidInputError } from '../../lib/errors';
import { hostView, HostView } from '../../lib/views/hosts';
import { floatFlag, ipFlag } from './_flags';

export default class HostAdd extends BaseCommand<typeof HostAdd> {
  static override description = 'Register a compute host in a cell (and optionally an availability zone). Exit 4 when the name is taken.';
  static override examples = [
    '<%= config.bin %> host add compute-1 --driver fake --vcpus 32 --memory-mb 131072 --disk-gb 2000 --az az1',
    '<%= config.bin %> host add sim-7 --driver fake --vcpus 8 --memory-mb 16384 --disk-gb 200 --fake-spawn-seconds 2 --fake-fail reboot --json',
  ];
  static override args = { name: Args.string({ description: 'Host name (letters, digits, ".", "_", "-").', required: true }) };
  static override flags = {
    driver: Flags.string({ description: 'Virt driver of the host (`fake` for now).', required: true }),
    vcpus: Flags.integer({ description: 'Physical CPUs the host offers.', required: true }),
    'memory-mb': Flags.integer({ description: 'RAM of the host in MB.', required: true }),
    'disk-gb': Flags.integer({ description: 'Local disk of the host in GB.', required: true }),
    az: Flags.string({ description: 'Availability zone; its aggregate is created when missing.' }),
    cell: Flags.string({ description: 'Cell (name or UUID); default: the first enabled cell.' }),
    'cpu-allocation-ratio': floatFlag({ description: 'vCPU overcommit of this host (default: aggregate, then [compute] setting).' }),
    'ram-allocation-ratio': floatFlag({ description: 'RAM overcommit of this host.' }),
    'disk-allocation-ratio': floatFlag({ description: 'Disk overcommit of this host.' }),
    'host-ip': ipFlag({ description: 'IP address of the host.' }),
    'fake-spawn-seconds': floatFlag({ description: 'Fake driver: seconds a spawn takes.' }),
    'fake-fail': Flags.string({ description: 'Fake driver: an operation that fails on this host (repeatable).', multiple: true }),
  };

  protected async execute() {
    const f = this.flags;
    const driverConfig: Record<string, unknown> = { fail: f['fake-fail'] ?? [] };
    if (f['fake-spawn-seconds'] !== undefined) {
      if (f['fake-spawn-seconds'] < 0) throw new InvalidInputError('--fake-spawn-seconds must not be negative.');
      driverConfig.spawnSeconds = f['fake-spawn-seconds'];
    }
    const host = await this.ctx.hosts.add({
      name: this.args.name, driver: f.driver, vcpus: f.vcpus, memoryMb: f['memory-mb'], diskGb: f['disk-gb'], az: f.az, cell: f.cell,
      cpuAllocationRatio: f['cpu-allocation-ratio'], ramAllocationRatio: f['ram-allocation-ratio'], diskAllocationRatio: f['disk-allocation-ratio'],
      hostIp: f['host-ip'], driverConfig: f.driver === 'fake' ? driverConfig : undefined,
    });
    return { host: hostView(host) };
  }

  protected override renderHuman(r: { host: HostView }): void {
    this.log(`Added host ${r.host.name} to cell ${r.host.cell}, zone ${r.host.availability_zone}.`);
    this.log(keyValues({ ...r.host }));
  }
}
