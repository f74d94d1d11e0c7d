import { Args } from '@oclif/core';
import { BaseCommand } from '../_base';
import { keyValues } from '../_render';
import { hostView, HostView } from '../../lib/views/hosts';

export default class HostShow extends BaseCommand<typeof HostShow> {
  static override description = 'Show one compute host: inventory, usage, zone, cell, state and status. Exit 3 when unknown.';
  static override examples = ['<%= config.bin %> host show compute-1', '<%= config.bin %> host show compute-1 --json'];
  static override args = { name: Args.string({ description: 'Host name.', required: true }) };

  protected async execute() {
    return { host: hostView(await this.ctx.hosts.show(this.args.name)) };
  }

  protected override renderHuman(r: { host: HostView }): void {
    this.log(keyValues({ ...r.host }));
  }
}
