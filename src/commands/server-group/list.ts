import { Flags } from '@oclif/core';
import { projectFlag } from '../_flags';
import { BaseCommand } from '../_base';
import { Column, table } from '../_render';
import { serverGroupView, ServerGroupView } from '../../lib/views/server-groups';
import { rules } from './_table';

export default class ServerGroupList extends BaseCommand<typeof ServerGroupList> {
  static override description = 'List the server groups of the current project (--all-projects: of every project).';
  static override examples = ['<%= config.bin %> server-group list', '<%= config.bin %> server-group list --all-projects --long --json'];
  static override flags = {
    project: projectFlag,
    'all-projects': Flags.boolean({ description: 'Server groups of every project.' }),
    long: Flags.boolean({ description: 'Also project and user.' }),
  };

  protected async execute() {
    const groups = await this.ctx.serverGroups.list(this.flags['all-projects'] ? undefined : (await this.ctx.whoami(this.flags.project)).projectId);
    return { server_groups: groups.map(serverGroupView) };
  }

  protected override renderHuman(r: { server_groups: ServerGroupView[] }): void {
    if (!r.server_groups.length) { this.log('No server groups. Create one with `novalite server-group create`.'); return; }
    const cols: Column<ServerGroupView>[] = [
      { header: 'ID', get: (g) => g.id }, { header: 'Name', get: (g) => g.name }, { header: 'Policy', get: (g) => g.policy },
      { header: 'Rules', get: (g) => rules(g.rules) }, { header: 'Members', get: (g) => g.members.length },
    ];
    if (this.flags.long) cols.push({ header: 'Project ID', get: (g) => g.project_id }, { header: 'User ID', get: (g) => g.user_id });
    this.log(table(r.server_groups, cols));
  }
}
