import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { InvalidInputError } from '../../lib/errors';
import { serverView, ServerView } from '../../lib/views/servers';
import { projectFlag, projectId, serverArg } from './_flags';
import { serverDetail } from './_table';

export default class ServerUnset extends BaseCommand<typeof ServerUnset> {
  static override description = 'Remove metadata properties (or the description) of a server. Removing a key it does not have is not an error.';
  static override examples = ['<%= config.bin %> server unset web1 --property role', '<%= config.bin %> server unset web1 --property role --property tier --description --json'];
  static override args = { ...serverArg };
  static override flags = {
    ...projectFlag,
    property: Flags.string({ description: 'Metadata key to remove (repeatable).', multiple: true }),
    description: Flags.boolean({ description: 'Clear the description.' }),
  };

  protected async execute(): Promise<{ server: ServerView }> {
    const f = this.flags;
    if (!f.property?.length && !f.description) throw new InvalidInputError('Nothing to unset.', { code: 'USAGE', hint: 'Pass --property KEY (repeatable) or --description.' });
    const project = await projectId(this.ctx, f.project);
    const s = await this.ctx.servers.set(this.args.server, project, { unsetProperties: f.property, description: f.description ? null : undefined });
    return { server: serverView(s) };
  }

  protected override renderHuman(r: { server: ServerView }): void {
    this.log(serverDetail(r.server));
  }
}
