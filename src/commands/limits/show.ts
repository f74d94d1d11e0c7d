import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { table } from '../_render';

type Absolute = Record<string, number>;

export default class LimitsShow extends BaseCommand<typeof LimitsShow> {
  static override description = 'Show the absolute limits of a project with their usage, as Nova\'s limits API reports them.';
  static override examples = ['<%= config.bin %> limits show', '<%= config.bin %> limits show --project demo --json'];
  static override flags = { project: Flags.string({ description: 'Project (name or id).', default: 'admin' }) };

  protected async execute(): Promise<{ limits: { absolute: Absolute; rate: [] } }> {
    const project = await this.ctx.projects.resolve(this.flags.project);
    const q = await this.ctx.quotas.show(project.id);
    const absolute: Absolute = {
      maxTotalInstances: q.limits.instances, maxTotalCores: q.limits.cores, maxTotalRAMSize: q.limits.ram,
      maxTotalKeypairs: q.limits.key_pairs, maxServerMeta: q.limits.metadata_items, maxServerGroups: q.limits.server_groups,
      maxServerGroupMembers: q.limits.server_group_members,
      totalInstancesUsed: q.in_use.instances ?? 0, totalCoresUsed: q.in_use.cores ?? 0, totalRAMUsed: q.in_use.ram ?? 0,
      totalServerGroupsUsed: q.in_use.server_groups ?? 0,
    };
    return { limits: { absolute, rate: [] } };
  }

  protected override renderHuman(r: { limits: { absolute: Absolute } }): void {
    this.log(table(Object.entries(r.limits.absolute), [{ header: 'Name', get: (x) => x[0] }, { header: 'Value', get: (x) => x[1] }]));
  }
}
