import { Args, Flags } from '@oclif/core';
import { projectFlag } from '../_flags';
import { BaseCommand } from '../_base';
import { GROUP_POLICIES } from '../../lib/model/compute';
import { parseProperties } from '../../lib/services/validate';
import { serverGroupView, ServerGroupView } from '../../lib/views/server-groups';
import { serverGroupDetail } from './_table';

export default class ServerGroupCreate extends BaseCommand<typeof ServerGroupCreate> {
  static override description = 'Create a server group: an affinity policy for its members. The rule max_server_per_host=N goes only with anti-affinity (else exit 2).';
  static override examples = [
    '<%= config.bin %> server-group create web --policy anti-affinity',
    '<%= config.bin %> server-group create db --policy anti-affinity --rule max_server_per_host=2 --json',
  ];
  static override args = { name: Args.string({ description: 'Server group name (unique in the project).', required: true }) };
  static override flags = {
    project: projectFlag,
    policy: Flags.string({ description: 'Placement policy of the members.', options: GROUP_POLICIES, required: true }),
    rule: Flags.string({ description: 'Policy rule KEY=VALUE (repeatable); only max_server_per_host=N, with anti-affinity.', multiple: true }),
  };

  protected async execute() {
    const g = await this.ctx.serverGroups.create(this.args.name, this.flags.policy, parseProperties(this.flags.rule, '--rule'), await this.ctx.whoami(this.flags.project));
    return { server_group: serverGroupView(g) };
  }

  protected override renderHuman(r: { server_group: ServerGroupView }): void {
    this.log(serverGroupDetail(r.server_group));
  }
}
