import { Args } from '@oclif/core';
import { BaseCommand } from '../_base';
import { colour, table } from '../_render';
import type { HeartbeatResult } from '../../lib/services/host-checks';

type Result = { hosts: HeartbeatResult[] };

export default class HostProbe extends BaseCommand<typeof HostProbe> {
  static override description = [
    'Contact hosts now and mark each up or down (what `serve` does periodically). Hosts run no agent: a host is down from a failed',
    'contact until a successful one, and the scheduler skips down hosts. Without names, every host reached over SSH.',
  ].join(' ');
  static override examples = ['<%= config.bin %> host probe', '<%= config.bin %> host probe kvm-1 kvm-2 --json'];
  static override strict = false;
  static override args = { names: Args.string({ description: 'Host names (default: all SSH hosts).' }) };

  protected async execute(): Promise<Result> {
    const names = this.argv.filter((a) => !a.startsWith('-'));
    return { hosts: await this.ctx.hostChecks.heartbeat(names) };
  }

  protected override renderHuman(r: Result): void {
    if (!r.hosts.length) { this.log('No hosts reached over SSH.'); return; }
    this.log(table(r.hosts, [
      { header: 'Host', get: (h) => h.host },
      { header: 'State', get: (h) => (h.up ? colour.ok('up') : colour.bad('down')) },
      { header: 'ms', get: (h) => h.ms },
      { header: 'Error', get: (h) => h.error ?? '' },
    ]));
  }
}
