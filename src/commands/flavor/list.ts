import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { flavorView, FlavorView } from '../../lib/views/flavors';
import { flavorsTable } from './_table';

export default class FlavorList extends BaseCommand<typeof FlavorList> {
  static override description = 'List flavors: public ones by default, --private for private ones only, --all for both.';
  static override examples = ['<%= config.bin %> flavor list', '<%= config.bin %> flavor list --all --long', '<%= config.bin %> flavor list --private --json'];
  static override flags = {
    all: Flags.boolean({ description: 'Public and private flavors.', exclusive: ['public', 'private'] }),
    public: Flags.boolean({ description: 'Only public flavors (default).', exclusive: ['all', 'private'] }),
    private: Flags.boolean({ description: 'Only private flavors.', exclusive: ['all', 'public'] }),
    long: Flags.boolean({ description: 'Also swap, RX/TX factor, description and properties.' }),
  };

  protected async execute() {
    const f = this.flags;
    const flavors = await this.ctx.flavors.list({ all: f.all || f.private });
    return { flavors: flavors.filter((x) => (f.all ? true : f.private ? !x.isPublic : x.isPublic)).map(flavorView) };
  }

  protected override renderHuman(r: { flavors: FlavorView[] }): void {
    this.log(r.flavors.length ? flavorsTable(r.flavors, this.flags.long) : 'No flavors. Create one with `novalite flavor create`.');
  }
}
