import { Args } from '@oclif/core';
import { confirm } from '@inquirer/prompts';
import { BaseCommand } from '../_base';
import { CancelledError } from '../../lib/errors';
import { hostView, HostView } from '../../lib/views/hosts';

export default class HostRemove extends BaseCommand<typeof HostRemove> {
  static override description = 'Remove a compute host from the registry, its cell mapping and its aggregates. Refused (exit 4) while it has servers.';
  static override examples = ['<%= config.bin %> host remove compute-1', '<%= config.bin %> host remove compute-1 --yes --json'];
  static override args = { name: Args.string({ description: 'Host name.', required: true }) };

  protected async execute() {
    if (this.interactive && !(await confirm({ message: `Remove host ${this.args.name}?`, default: false }))) {
      throw new CancelledError();
    }
    return { deleted: hostView(await this.ctx.hosts.remove(this.args.name)) };
  }

  protected override renderHuman(r: { deleted: HostView }): void {
    this.log(`Removed host ${r.deleted.name} (${r.deleted.id}).`);
  }
}
