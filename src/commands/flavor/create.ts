import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { parseProperties } from '../../lib/services/validate';
import { flavorAccessView, flavorView } from '../../lib/views/flavors';
import { floatFlag } from '../host/_flags';
import { flavorDetail, FlavorResult } from './_table';

export default class FlavorCreate extends BaseCommand<typeof FlavorCreate> {
  static override description = 'Create a flavor (a server size). Exit 2 for negative or absurd sizes, 4 when the name or ID is taken.';
  static override examples = [
    '<%= config.bin %> flavor create m1.small --vcpus 1 --ram 2048 --disk 20',
    '<%= config.bin %> flavor create gpu.large --id 42 --vcpus 16 --ram 65536 --disk 200 --property hw:cpu_policy=dedicated --private --project acme --json',
  ];
  static override args = { name: Args.string({ description: 'Flavor name.', required: true }) };
  static override flags = {
    vcpus: Flags.integer({ description: 'Number of vCPUs.', required: true }),
    ram: Flags.integer({ description: 'Memory in MB.', required: true }),
    disk: Flags.integer({ description: 'Root disk in GB (0: the image size).', required: true }),
    id: Flags.string({ description: 'Flavor ID (default: a generated UUID; `auto` too).' }),
    ephemeral: Flags.integer({ description: 'Ephemeral disk in GB.', default: 0 }),
    swap: Flags.integer({ description: 'Swap in MB.', default: 0 }),
    property: Flags.string({ description: 'Extra spec KEY=VALUE (repeatable).', multiple: true }),
    private: Flags.boolean({ description: 'Only projects given access (--project, `flavor set --project`) may use it.', exclusive: ['public'] }),
    public: Flags.boolean({ description: 'Every project may use it (default).', exclusive: ['private'] }),
    project: Flags.string({ description: 'Give this project access to the private flavor.', dependsOn: ['private'] }),
    description: Flags.string({ description: 'Free-form description.' }),
    'rxtx-factor': floatFlag({ description: 'RX/TX factor (default 1.0).' }),
  };

  protected async execute(): Promise<FlavorResult> {
    const f = this.flags;
    let flavor = await this.ctx.flavors.create({
      name: this.args.name, vcpus: f.vcpus, ram: f.ram, disk: f.disk, id: f.id, ephemeral: f.ephemeral, swap: f.swap,
      properties: parseProperties(f.property), isPublic: !f.private, description: f.description, rxtxFactor: f['rxtx-factor'],
    });
    if (f.project) flavor = await this.ctx.flavors.set(flavor.flavorid, { project: f.project });
    return { flavor: flavorView(flavor), flavor_access: flavorAccessView(flavor) };
  }

  protected override renderHuman(r: FlavorResult): void {
    this.log(flavorDetail(r));
  }
}
