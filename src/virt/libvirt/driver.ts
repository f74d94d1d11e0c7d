/**
 * The libvirt driver: agentless, it acts on one host over SSH with virsh and qemu-img. Every
 * operation is a few remote commands built by sh() (never string-pasted) against files under
 * the host's novalite root; the domain XML comes from the typed builder. Moves between hosts
 * are in migrate.ts; queries that only doctor and `server xml` use are in inspect.ts.
 */
import { HostError } from '../../lib/errors';
import { PowerState } from '../../lib/model/states';
import {
  InstanceNotFoundOnHost,
  type ComputeDriver, type DriverCapabilities, type HostResources, type HostTarget, type ImageRef,
  type DriverInspection, type InstanceInfo, type InstanceSpec, type MigrationToken,
} from '../driver';
import { domainXml } from './domain';
import { parseHostConfig, type LibvirtHostConfig } from './host-config';
import { ensureBase } from './image-cache';
import { domainInputOf, layoutOf, type Layout } from './layout';
import * as M from './migrate';
import { domainName, HostPaths, uuidOfDomain } from './paths';
import { probeHost } from './probe';
import { HostCommandError, Remote, VIRSH, type DomState } from './remote';
import { basesOf, MISSING_BASE, spawnPlan, backingFormat } from './spawn';
import * as I from './inspect';
import { sh } from './ssh/quote';
import type { HostTransport } from './ssh/transport';

const CAPABILITIES: DriverCapabilities = Object.freeze({
  pause: true, suspend: true, rescue: true, resize: true, coldMigrate: true, liveMigrate: true, consoleLog: true,
});

export type TransportFactory = (cfg: LibvirtHostConfig, target: HostTarget) => HostTransport;

const POWER: Record<string, PowerState> = {
  running: PowerState.RUNNING, idle: PowerState.RUNNING, paused: PowerState.PAUSED, 'in shutdown': PowerState.RUNNING,
  'shut off': PowerState.SHUTDOWN, shutdown: PowerState.SHUTDOWN, crashed: PowerState.CRASHED, pmsuspended: PowerState.SUSPENDED,
  'no state': PowerState.NOSTATE, missing: PowerState.NOSTATE,
};

export function powerStateOf(s: DomState | string): PowerState {
  return POWER[s] ?? PowerState.NOSTATE;
}

export class LibvirtDriver implements ComputeDriver {
  readonly type = 'libvirt';
  readonly capabilities = CAPABILITIES;
  readonly cfg: LibvirtHostConfig;
  readonly paths: HostPaths;
  readonly remote: Remote;
  readonly inspection: DriverInspection = {
    domainXml: (inst) => I.domainXmls(this, inst),
    addresses: (inst) => I.addresses(this, inst),
    verify: () => I.verify(this),
    pruneImages: (s) => I.pruneImages(this, s),
    listDomains: () => this.listDomains(),
  };

  constructor(readonly target: HostTarget, readonly transports: TransportFactory) {
    this.cfg = parseHostConfig(target);
    this.paths = new HostPaths(this.cfg.root);
    this.remote = new Remote(target.name, transports(this.cfg, target));
  }

  /** A driver for another host, sharing this one's way of making connections. */
  peer(target: HostTarget): LibvirtDriver {
    return new LibvirtDriver(target, this.transports);
  }

  layout(inst: InstanceSpec): Layout {
    return layoutOf(inst, this.cfg, this.paths);
  }

  renderXml(inst: InstanceSpec, opts: { rescue?: boolean } = {}): string {
    return domainXml(domainInputOf(inst, this.cfg, this.paths, this.layout(inst), opts));
  }

  async ensureBases(l: Layout): Promise<void> {
    for (const b of basesOf(l)) await ensureBase(this.remote, this.paths, b);
  }

  async spawn(inst: InstanceSpec): Promise<void> {
    const l = this.layout(inst);
    if (l.image && !['qcow2', 'raw'].includes(l.image.diskFormat)) {
      throw new HostError(`Image ${l.image.id} is ${l.image.diskFormat}; the libvirt driver boots qcow2 or raw images.`, { code: 'IMAGE_FORMAT_UNSUPPORTED' });
    }
    const plan = spawnPlan(inst, this.cfg, this.paths, l);
    try {
      let r = await this.remote.try(plan.script, { stdin: plan.stdin, timeoutMs: 300_000 });
      if (r.code === MISSING_BASE) {
        await this.ensureBases(l);
        r = await this.remote.try(plan.script, { stdin: plan.stdin, timeoutMs: 300_000 });
      }
      if (r.code !== 0) throw new HostCommandError(this.target.name, 'spawn', r);
    } catch (e) {
      // Leave nothing behind on the host: the conductor may reschedule the server elsewhere.
      await this.destroy(inst, { destroyDisks: true }).catch(() => undefined);
      throw e;
    }
  }

  async destroy(inst: InstanceSpec, opts: { destroyDisks?: boolean } = {}): Promise<void> {
    const name = domainName(inst.uuid);
    const v = (...a: string[]) => sh(...VIRSH, ...a);
    const lines = [
      `${v('destroy', name)} >/dev/null 2>&1 || true`,
      `${v('undefine', '--managed-save', '--snapshots-metadata', name)} >/dev/null 2>&1 || true`,
    ];
    if (opts.destroyDisks !== false) lines.push(sh('rm', '-rf', this.paths.instanceDir(inst.uuid)));
    await this.remote.run('destroy', lines.join('\n'), { timeoutMs: 120_000 });
    const left = await this.remote.domState(name);
    if (left !== 'missing') throw new HostError(`Domain ${name} is still defined on host ${this.target.name} (${left}) after destroy.`, { code: 'DESTROY_INCOMPLETE' });
  }

  private async state(inst: InstanceSpec): Promise<DomState> {
    const s = await this.remote.domState(domainName(inst.uuid));
    if (s === 'missing') throw new InstanceNotFoundOnHost(inst.uuid, this.target.name);
    return s;
  }

  /** ACPI shutdown, waiting up to `seconds`; then (or at once with 0 seconds) a hard stop. */
  async shutdown(inst: InstanceSpec, seconds: number): Promise<void> {
    const name = domainName(inst.uuid);
    const s = await this.state(inst);
    if (s === 'shut off' || s === 'shutdown' || s === 'crashed') return;
    if (seconds > 0 && s === 'running') {
      await this.remote.try(sh(...VIRSH, 'shutdown', name));
      const after = await this.remote.waitState(name, (x) => x === 'shut off' || x === 'missing', seconds);
      if (after === 'shut off') return;
    }
    await this.remote.virsh('destroy', name);
  }

  async start(inst: InstanceSpec): Promise<void> {
    const s = await this.state(inst);
    if (s === 'running') return;
    if (s === 'paused') { await this.remote.virsh('resume', domainName(inst.uuid)); return; }
    await this.remote.virsh('start', domainName(inst.uuid));
  }

  async reboot(inst: InstanceSpec, type: 'SOFT' | 'HARD'): Promise<void> {
    const name = domainName(inst.uuid);
    if (type === 'SOFT' && (await this.state(inst)) === 'running') {
      await this.shutdown(inst, this.cfg.shutdownTimeoutSeconds);
    } else {
      const s = await this.state(inst);
      if (s === 'running' || s === 'paused' || s === 'in shutdown') await this.remote.virsh('destroy', name);
      // A hard reboot boots afresh: a suspended image would otherwise be resumed.
      await this.remote.try(sh(...VIRSH, 'managedsave-remove', name));
    }
    await this.remote.virsh('start', name);
  }

  powerOff(inst: InstanceSpec, opts: { timeoutSeconds?: number } = {}): Promise<void> {
    return this.shutdown(inst, opts.timeoutSeconds ?? this.cfg.shutdownTimeoutSeconds);
  }

  powerOn(inst: InstanceSpec): Promise<void> { return this.start(inst); }

  async pause(inst: InstanceSpec): Promise<void> { await this.state(inst); await this.remote.virsh('suspend', domainName(inst.uuid)); }
  async unpause(inst: InstanceSpec): Promise<void> { await this.state(inst); await this.remote.virsh('resume', domainName(inst.uuid)); }
  async suspend(inst: InstanceSpec): Promise<void> { await this.state(inst); await this.remote.virsh('managedsave', domainName(inst.uuid)); }
  async resume(inst: InstanceSpec): Promise<void> { await this.start(inst); }

  async rescue(inst: InstanceSpec, rescueImage: ImageRef | null): Promise<void> {
    const image = rescueImage ?? inst.image;
    if (!image) throw new HostError(`Server ${inst.uuid} has no image to rescue it with.`, { code: 'RESCUE_NO_IMAGE', hint: 'Pass a rescue image.' });
    const name = domainName(inst.uuid);
    const base = await ensureBase(this.remote, this.paths, image);
    const f = (n: Parameters<HostPaths['file']>[1]) => this.paths.file(inst.uuid, n);
    const xml = this.renderXml({ ...inst, image: inst.image ?? image }, { rescue: true });
    await this.shutdown(inst, 0);
    await this.remote.run('rescue', [
      'set -e',
      sh('rm', '-f', f('disk.rescue')),
      sh('qemu-img', 'create', '-q', '-f', 'qcow2', '-F', backingFormat(image), '-b', base, f('disk.rescue')),
      `cat > ${sh(f('rescue.xml'))}`,
      sh(...VIRSH, 'define', f('rescue.xml')),
      sh(...VIRSH, 'start', name),
    ].join('\n'), { stdin: xml });
  }

  async unrescue(inst: InstanceSpec): Promise<void> {
    const name = domainName(inst.uuid);
    const f = (n: Parameters<HostPaths['file']>[1]) => this.paths.file(inst.uuid, n);
    await this.shutdown(inst, 0);
    await this.remote.run('unrescue', [
      'set -e',
      sh(...VIRSH, 'define', f('libvirt.xml')),
      sh('rm', '-f', f('disk.rescue'), f('rescue.xml')),
      sh(...VIRSH, 'start', name),
    ].join('\n'));
  }

  migrateDiskAndPowerOff(inst: InstanceSpec, dest: HostTarget): Promise<MigrationToken> { return M.migrateDiskAndPowerOff(this, inst, dest); }
  finishMigration(inst: InstanceSpec, token: MigrationToken, opts: { powerOn: boolean }): Promise<void> { return M.finishMigration(this, inst, token, opts); }
  finishRevertMigration(inst: InstanceSpec, opts: { powerOn: boolean }): Promise<void> { return M.finishRevertMigration(this, inst, opts); }
  cleanupMigrationSource(inst: InstanceSpec): Promise<void> { return M.cleanupMigrationSource(this, inst); }
  liveMigrate(inst: InstanceSpec, dest: HostTarget): Promise<void> { return M.liveMigrate(this, inst, dest); }
  async postLiveMigrationAtDestination(inst: InstanceSpec): Promise<void> { await this.state(inst); }

  async getInfo(inst: InstanceSpec): Promise<InstanceInfo> {
    const r = await this.remote.try(sh(...VIRSH, 'dominfo', domainName(inst.uuid)));
    if (r.code !== 0) {
      if (/failed to get domain|Domain not found/i.test(r.stderr)) throw new InstanceNotFoundOnHost(inst.uuid, this.target.name);
      throw new HostCommandError(this.target.name, 'virsh dominfo', r);
    }
    const get = (k: string) => new RegExp(`^${k}:\\s*(.+)$`, 'mi').exec(r.stdout)?.[1]?.trim() ?? '';
    return {
      powerState: powerStateOf(get('State')),
      memoryMb: Math.floor(Number.parseInt(get('Max memory'), 10) / 1024) || 0,
      vcpus: Number.parseInt(get('CPU\\(s\\)'), 10) || 0,
      cpuTimeNs: Math.round((Number.parseFloat(get('CPU time')) || 0) * 1e9),
    };
  }

  /** Every domain on the host that novalite made, with its state (for sync and doctor). */
  async listDomains(): Promise<Array<{ uuid: string; name: string; state: PowerState }>> {
    const out = await this.remote.run('virsh list', `${sh(...VIRSH, 'list', '--all', '--name')} | while read -r n; do [ -n "$n" ] || continue; printf '%s\\t' "$n"; ${sh(...VIRSH, 'domstate')} "$n" | head -n 1; done`);
    return out.split('\n').map((line) => line.split('\t')).filter(([n]) => n && uuidOfDomain(n))
      .map(([n, s]) => ({ uuid: uuidOfDomain(n) as string, name: n, state: powerStateOf((s ?? '').trim()) }));
  }

  async listInstances(): Promise<string[]> {
    const out = await this.remote.virsh('list', '--all', '--name');
    return out.split('\n').map((n) => uuidOfDomain(n)).filter((u): u is string => !!u);
  }

  async getConsoleOutput(inst: InstanceSpec): Promise<string> {
    const log = this.paths.file(inst.uuid, 'console.log');
    const r = await this.remote.try(`${sh('tail', '-c', 1048576, log)} 2>/dev/null`);
    if (r.code !== 0 && (await this.remote.domState(domainName(inst.uuid))) === 'missing') throw new InstanceNotFoundOnHost(inst.uuid, this.target.name);
    return r.stdout;
  }

  async getAvailableResource(): Promise<HostResources> {
    const f = await probeHost(this.remote, this.cfg.root);
    return { vcpus: f.vcpus, memoryMb: f.memoryMb, localGb: f.localGb, hypervisorType: f.hypervisorType, hypervisorVersion: f.hypervisorVersion, cpuInfo: f.cpuInfo };
  }
}
