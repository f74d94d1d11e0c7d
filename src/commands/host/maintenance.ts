import { Args } from '@oclif/core';
import { BaseCommand } from '../_base';
import { runSteps } from '../_progress';
import { colour, table } from '../_render';
import type { MaintenanceOutcome } from '../../lib/services/host-maintenance';
import { hostView, HostView } from '../../lib/views/hosts';

type Result = { host: HostView; mode: 'on' | 'off'; servers: MaintenanceOutcome[] };

export default class HostMaintenance extends BaseCommand<typeof HostMaintenance> {
  static override description = [
    'on: disable the host and move its servers away (running ones live-migrated, stopped ones cold-migrated and confirmed), with',
    'progress; servers that cannot move are listed. off: enable it again. Exit 6 when a server could not be moved.',
  ].join(' ');
  static override examples = ['<%= config.bin %> host maintenance kvm-1 on', '<%= config.bin %> host maintenance kvm-1 off --json'];
  static override args = {
    name: Args.string({ description: 'Host name.', required: true }),
    mode: Args.string({ description: 'on or off.', required: true, options: ['on', 'off'] }),
  };

  protected async execute(): Promise<Result> {
    const name = this.args.name;
    if (this.args.mode === 'off') return { host: hostView(await this.ctx.hostMaintenance.end(name)), mode: 'off', servers: [] };
    const plan = await this.ctx.hostMaintenance.start(name);
    const outcomes: MaintenanceOutcome[] = [];
    await runSteps(plan.steps.map((step) => ({
      title: `${step.action === 'skip' ? 'Leave' : step.action === 'live-migrate' ? 'Live-migrate' : 'Migrate'} ${step.server.name}`,
      run: async () => {
        const o = await this.ctx.hostMaintenance.move(step, this.ctx.actor.userId);
        outcomes.push(o);
        return o.action === 'skip' ? o.detail ?? 'left' : o.ok ? `now on ${o.to}` : `FAILED: ${o.detail}`;
      },
    })), { tty: this.interactive, quiet: this.jsonMode });
    return { host: hostView(await this.ctx.hosts.show(name)), mode: 'on', servers: outcomes };
  }

  protected override exitCodeFor(r: Result): number {
    return r.servers.some((o) => !o.ok) ? 6 : 0;
  }

  protected override renderHuman(r: Result): void {
    if (r.mode === 'off') { this.log(`Host ${r.host.name} is enabled again.`); return; }
    const left = r.servers.filter((o) => o.action === 'skip' || !o.ok).length;
    this.log(`Host ${r.host.name} is disabled for maintenance; ${r.servers.length - left} server(s) moved, ${left} left on it.`);
    if (r.servers.length) {
      this.log(table(r.servers, [
        { header: 'Server', get: (o) => o.name }, { header: 'Action', get: (o) => o.action },
        { header: 'Result', get: (o) => (o.action === 'skip' ? colour.warn('left') : o.ok ? colour.ok(`→ ${o.to}`) : colour.bad('failed')) },
        { header: 'Detail', get: (o) => o.detail ?? '' },
      ]));
    }
  }
}
