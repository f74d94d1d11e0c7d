import { Flags } from '@oclif/core';
import { InvalidInputError } from '../../lib/errors';
import type { Server } from '../../lib/model/servers';
import type { ServerView } from '../../lib/views/servers';
import { ask } from './_prompt';
import { MoveCommand, moveDescription } from './_moves';

export default class ServerResize extends MoveCommand {
  static override description = moveDescription([
    'Resize a server to another flavor: the scheduler picks a host that fits it (not its own unless [DEFAULT] allow_resize_to_same_host),',
    'the server moves there with the new flavor and waits in VERIFY_RESIZE for `server resize confirm` or `server resize revert`',
    '(confirmed automatically after [compute] resize_confirm_window seconds when that is set). Growth counts against the cores and ram',
    'quotas at once. Exit 2 for the same flavor or a smaller disk, 3 for an unknown flavor, 5 when no host fits or over quota.',
  ].join(' '));
  static override examples = [
    '<%= config.bin %> server resize web1 --flavor m1.large',
    '<%= config.bin %> server resize web1 --flavor m1.large --wait --json && <%= config.bin %> server resize confirm web1',
  ];
  static override flags = { ...MoveCommand.flags, flavor: Flags.string({ description: 'The new flavor (name or ID); asked for on a terminal.' }) };

  protected async move(project: string): Promise<Server> {
    let flavor = (this.flags as { flavor?: string }).flavor;
    if (!flavor) {
      if (!this.interactive) throw new InvalidInputError('Missing required flag --flavor.', { code: 'USAGE', hint: 'Pass --flavor NAME (see `novalite flavor list`).' });
      const flavors = await this.ctx.flavors.list({ projectId: project });
      flavor = await ask.select({ message: 'New flavor', choices: flavors.map((x) => ({ name: `${x.name} (${x.vcpus} vCPU, ${x.memoryMb} MB RAM, ${x.rootGb} GB disk)`, value: x.flavorid })) });
    }
    return this.ctx.serverMoves.resize(this.args.server, project, flavor, this.ctx.actor.userId);
  }

  protected targets(): string[] { return ['VERIFY_RESIZE']; }
  protected summary(s: ServerView): string { return `Resized server ${s.name} (${s.id}) to ${(s.flavor as { original_name: string }).original_name} on ${s['OS-EXT-SRV-ATTR:host']}; confirm or revert it.`; }
}
