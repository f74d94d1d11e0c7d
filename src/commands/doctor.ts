import { Flags } from '@oclif/core';
import { BaseCommand } from './_base';
import { colour, table } from './_render';
import type { Finding } from '../lib/services/doctor';

type Result = { hosts_checked: number; findings: Finding[]; problems: number };

export default class Doctor extends BaseCommand<typeof Doctor> {
  static override description = [
    'Compare what hosts run with what the database says: orphan domains (on a host, no server), ghost servers (a server its host',
    'does not have), leaked allocations, domain XML drift and wrong power states. --fix removes orphans and leaks, marks ghosts ERROR',
    'and corrects power states (drift is only reported). Exit 0 when all is well, 1 when problems remain.',
  ].join(' ');
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --host kvm-1 --fix --json'];
  static override flags = {
    fix: Flags.boolean({ description: 'Repair what can be repaired safely.' }),
    host: Flags.string({ description: 'Only this host.' }),
    'no-xml': Flags.boolean({ description: 'Skip the XML comparison (one dumpxml per server).' }),
  };

  protected async execute(): Promise<Result> {
    const r = await this.ctx.doctor.run({ fix: this.flags.fix, host: this.flags.host, xml: !this.flags['no-xml'] });
    const problems = r.findings.filter((f) => !f.fixed).length;
    return { hosts_checked: r.hostsChecked, findings: r.findings, problems };
  }

  // Through the base command, not process.exitCode: an in-process run (tests, serve) must not leak it.
  protected override exitCodeFor(r: Result): number {
    return r.problems ? 1 : 0;
  }

  protected override renderHuman(r: Result): void {
    if (!r.findings.length) { this.log(colour.ok(`All well: ${r.hosts_checked} host(s) agree with the database.`)); return; }
    this.log(table(r.findings, [
      { header: 'Problem', get: (f) => f.kind },
      { header: 'Host', get: (f) => f.host },
      { header: 'Server', get: (f) => f.server ?? '' },
      { header: 'Detail', get: (f) => f.detail },
      { header: 'Fixed', get: (f) => (f.fixed ? colour.ok('yes') : colour.bad('no')) },
    ]));
    this.log(`${r.problems} problem(s) left on ${r.hosts_checked} host(s).${r.problems && !r.findings.some((f) => f.fixed) ? ' Run with --fix to repair what can be repaired.' : ''}`);
  }
}
