import { Args } from '@oclif/core';
import { BaseCommand } from '../_base';
import { colour, table } from '../_render';
import { HostError } from '../../lib/errors';
import type { VerifyCheck } from '../../lib/services/host-checks';

type Result = { host: string; ok: boolean; checks: VerifyCheck[] };

export default class HostVerify extends BaseCommand<typeof HostVerify> {
  static override description = 'Check that novalite can work on a host: SSH with the pinned key, libvirt, qemu-img, an ISO tool for config drives, its directory and network. Exit 6 when a check fails.';
  static override examples = ['<%= config.bin %> host verify kvm-1', '<%= config.bin %> host verify kvm-1 --json'];
  static override args = { name: Args.string({ description: 'Host name.', required: true }) };

  protected async execute(): Promise<Result> {
    const r = await this.ctx.hostChecks.verify(this.args.name);
    if (!r.ok) {
      if (!this.jsonMode) this.renderHuman(r);
      const bad = r.checks.filter((c) => !c.ok);
      throw new HostError(`Host ${r.host} failed ${bad.length} check(s): ${bad.map((c) => `${c.check} (${c.detail})`).join('; ')}`, { code: 'HOST_VERIFY_FAILED', details: r });
    }
    return r;
  }

  protected override renderHuman(r: Result): void {
    this.log(table(r.checks, [
      { header: 'Check', get: (c) => c.check },
      { header: 'Result', get: (c) => (c.ok ? colour.ok('ok') : colour.bad('FAILED')) },
      { header: 'Detail', get: (c) => c.detail },
    ]));
  }
}
