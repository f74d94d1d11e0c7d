import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { colour } from '../_render';
import { projectFlag, projectId, serverArg } from './_flags';

type Result = { server: string; host: string; xml: string; live: string | null; diff: string[] | null };

export default class ServerXml extends BaseCommand<typeof ServerXml> {
  static override description = 'Show the libvirt domain XML novalite generates for a server; with --diff, compare it with `virsh dumpxml` on its host (exit 1 when they differ).';
  static override examples = ['<%= config.bin %> server xml web1', '<%= config.bin %> server xml web1 --diff', '<%= config.bin %> server xml web1 --json'];
  static override args = { ...serverArg };
  static override flags = { ...projectFlag, diff: Flags.boolean({ description: 'Compare with the domain the host has.' }) };

  protected async execute(): Promise<Result> {
    const project = await projectId(this.ctx, this.flags.project);
    const s = await this.ctx.servers.get(this.args.server, project);
    const x = await this.ctx.serverInspect.xml(s);
    const d = this.flags.diff ? (x.live === null ? null : x.diff) : null;
    return { server: s.uuid, host: x.host, xml: x.generated, live: x.live, diff: d };
  }

  protected override exitCodeFor(r: Result): number {
    return this.flags.diff && (r.live === null || (r.diff !== null && r.diff.length > 0)) ? 1 : 0;
  }

  protected override renderHuman(r: Result): void {
    if (!this.flags.diff) { this.log(r.xml); return; }
    if (r.live === null) { this.log(colour.bad(`Host ${r.host} has no domain for server ${r.server}.`)); return; }
    if (!r.diff || !r.diff.length) { this.log(colour.ok(`The domain on ${r.host} matches what novalite generates.`)); return; }
    for (const l of r.diff) this.log(l.startsWith('- ') ? colour.bad(l) : l.startsWith('+ ') ? colour.ok(l) : colour.dim(l));
  }
}
