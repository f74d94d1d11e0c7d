import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { InvalidInputError } from '../../lib/errors';
import { serverView, ServerView } from '../../lib/views/servers';
import { projectFlag, projectId, serverArg } from './_flags';
import { serverDetail } from './_table';

export default class ServerSet extends BaseCommand<typeof ServerSet> {
  static override description = 'Rename a server, change its description, or add/replace metadata properties. Exit 5 when the properties exceed the metadata_items quota.';
  static override examples = ['<%= config.bin %> server set web1 --name web-01', '<%= config.bin %> server set web1 --property role=web --property tier=front --json'];
  static override args = { ...serverArg };
  static override flags = {
    ...projectFlag,
    name: Flags.string({ description: 'New name (1 to 255 characters).' }),
    description: Flags.string({ description: 'New description.' }),
    property: Flags.string({ description: 'Metadata KEY=VALUE to add or replace (repeatable).', multiple: true }),
  };

  protected async execute(): Promise<{ server: ServerView }> {
    const f = this.flags;
    if (f.name === undefined && f.description === undefined && !f.property?.length) {
      throw new InvalidInputError('Nothing to set.', { code: 'USAGE', hint: 'Pass --name, --description or --property KEY=VALUE.' });
    }
    const project = await projectId(this.ctx, f.project);
    return { server: serverView(await this.ctx.servers.set(this.args.server, project, { name: f.name, description: f.description, properties: f.property })) };
  }

  protected override renderHuman(r: { server: ServerView }): void {
    this.log(serverDetail(r.server));
  }
}
