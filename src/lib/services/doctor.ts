/**
 * Hosts and database compared: what each host runs against what the cells say it should.
 * Finds orphan domains (on a host, no live server), ghost servers (a settled server its host
 * does not have), leaked allocations (held for no server or migration), XML drift (the host's
 * domain differs from what the driver would push) and wrong power states. `--fix` removes
 * orphans and leaks, marks ghosts ERROR with a fault and corrects power states; drift is only
 * reported, since redefining a running domain changes it at its next boot.
 */
import { isoTime, type Clock } from '../clock';
import { instanceSpec, type Compute } from '../compute/compute';
import type { Stores } from '../db/stores';
import { isCell0 } from '../model/cells';
import type { ComputeHost } from '../model/compute';
import { FINAL_MIGRATION_STATUSES } from '../model/migrations';
import type { Server } from '../model/servers';
import { PowerState, VmState } from '../model/states';
import type { CellsService } from './cells';
import { mapLimit } from './host-checks';
import type { HostsService } from './hosts';
import type { ImagesService } from './images';

export type FindingKind = 'host_unreachable' | 'orphan_domain' | 'ghost_server' | 'leaked_allocation' | 'xml_drift' | 'power_state';
export interface Finding { kind: FindingKind; host: string; server: string | null; detail: string; fixed: boolean }

/** Servers that should have a domain on their host (a server mid-task may be between hosts). */
const SETTLED = new Set<string>([VmState.ACTIVE, VmState.STOPPED, VmState.PAUSED, VmState.SUSPENDED, VmState.RESCUED]);

export class DoctorService {
  constructor(private readonly stores: Stores, private readonly clock: Clock, private readonly cells: CellsService,
    private readonly hosts: HostsService, private readonly compute: Compute, private readonly images: ImagesService) {}

  private now(): string { return isoTime(this.clock.now()); }

  async run(opts: { fix?: boolean; host?: string; xml?: boolean } = {}): Promise<{ findings: Finding[]; hostsChecked: number }> {
    const hosts = opts.host ? [await this.hosts.show(opts.host)] : await this.hosts.list();
    const findings: Finding[] = [];
    const perHost = await mapLimit(hosts, 8, (h) => this.checkHost(h, opts.fix ? 'all' : 'none', opts.xml !== false));
    for (const f of perHost) findings.push(...f);
    findings.push(...(await this.leaks(!!opts.fix, opts.host)));
    return { findings, hostsChecked: hosts.length };
  }

  /**
   * The periodic power-state sync (serve runs it): what each host reports becomes the recorded
   * power state (an ACTIVE server found shut off becomes STOPPED, as Nova's sync does); nothing
   * else is repaired, and unreachable hosts are skipped.
   */
  async syncPowerStates(): Promise<Finding[]> {
    const hosts = (await this.hosts.list()).filter((h) => h.up);
    const perHost = await mapLimit(hosts, 8, (h) => this.checkHost(h, 'power', false));
    return perHost.flat().filter((f) => f.kind === 'power_state');
  }

  private async serversOn(h: ComputeHost): Promise<Server[]> {
    const cell = (await this.cells.list()).find((c) => c.uuid === h.cellUuid);
    return cell ? (await this.stores.cell(cell)).instances.list({ host: h.host }) : [];
  }

  private async checkHost(h: ComputeHost, fixWhat: 'all' | 'power' | 'none', xml: boolean): Promise<Finding[]> {
    const fix = fixWhat === 'all';
    const out: Finding[] = [];
    let domains: Map<string, number>;
    try {
      domains = await this.compute.call(h, 'list_domains', async (d) => {
        if (d.inspection) return new Map((await d.inspection.listDomains()).map((x) => [x.uuid, x.state as number]));
        const m = new Map<string, number>();
        for (const u of await d.listInstances()) m.set(u, -1);
        return m;
      });
    } catch (e) {
      return [{ kind: 'host_unreachable', host: h.host, server: null, detail: (e as Error).message, fixed: false }];
    }
    const servers = await this.serversOn(h);
    const repos = await this.stores.cell((await this.cells.list()).find((c) => c.uuid === h.cellUuid)!);
    const known = new Set(servers.map((s) => s.uuid));
    for (const [uuid] of domains) {
      if (known.has(uuid)) continue;
      // Mid-move servers are recorded on the other host; their domain here is expected for now.
      // So is the source copy of a resize or cold migration awaiting confirmation: revert needs it.
      const elsewhere = await this.findServer(uuid);
      if (elsewhere && (elsewhere.taskState || elsewhere.vmState === VmState.RESIZED)) continue;
      const f: Finding = { kind: 'orphan_domain', host: h.host, server: uuid, detail: elsewhere ? `server is recorded on ${elsewhere.host ?? 'no host'}` : 'no live server has this UUID', fixed: false };
      if (fix) {
        await this.compute.call(h, 'destroy', (d) => d.destroy(stub(uuid), { destroyDisks: true }));
        f.fixed = true;
      }
      out.push(f);
    }
    for (const s of servers) {
      if (s.taskState || !SETTLED.has(s.vmState)) continue;
      const state = domains.get(s.uuid);
      if (state === undefined) {
        const f: Finding = { kind: 'ghost_server', host: h.host, server: s.uuid, detail: `${s.name} is ${s.vmState} but host ${h.host} has no domain for it`, fixed: false };
        if (fix) {
          await repos.instances.update(s.uuid, { vmState: VmState.ERROR, powerState: PowerState.NOSTATE }, this.now());
          await repos.instances.addFault(s.uuid, { code: 500, message: `The server's domain is missing from host ${h.host}.`, host: h.host }, this.now());
          f.fixed = true;
        }
        out.push(f);
        continue;
      }
      if (state >= 0 && state !== s.powerState) {
        const f: Finding = { kind: 'power_state', host: h.host, server: s.uuid, detail: `recorded power state ${s.powerState}, host says ${state}`, fixed: false };
        if (fixWhat !== 'none') {
          const patch: Parameters<typeof repos.instances.update>[1] = { powerState: state as PowerState };
          if (s.vmState === VmState.ACTIVE && state === PowerState.SHUTDOWN) patch.vmState = VmState.STOPPED;
          await repos.instances.update(s.uuid, patch, this.now(), [null]);
          f.fixed = true;
        }
        out.push(f);
      }
      if (xml) {
        const drift = await this.drift(h, s).catch(() => null);
        if (drift) out.push({ kind: 'xml_drift', host: h.host, server: s.uuid, detail: drift, fixed: false });
      }
    }
    return out;
  }

  private async drift(h: ComputeHost, s: Server): Promise<string | null> {
    const spec = instanceSpec(s, await this.images.driverRef(s.imageRef));
    return this.compute.call(h, 'dumpxml', async (d) => {
      if (!d.inspection) return null;
      const x = await d.inspection.domainXml(spec);
      if (x.live === null || !x.diff.length) return null;
      const changed = x.diff.filter((l) => l.startsWith('- ') || l.startsWith('+ ')).length;
      return `${changed} line(s) differ between the generated domain and the host's (novalite server xml ${s.uuid} --diff)`;
    });
  }

  private async findServer(uuid: string): Promise<Server | null> {
    for (const c of (await this.cells.list()).filter((x) => !isCell0(x))) {
      const s = await (await this.stores.cell(c)).instances.get(uuid);
      if (s) return s;
    }
    return null;
  }

  private async leaks(fix: boolean, host?: string): Promise<Finding[]> {
    const out: Finding[] = [];
    for (const c of (await this.cells.list()).filter((x) => !isCell0(x))) {
      const repos = await this.stores.cell(c);
      for (const l of await repos.claims.leaked(FINAL_MIGRATION_STATUSES)) {
        if (host && l.host !== host) continue;
        const f: Finding = { kind: 'leaked_allocation', host: l.host, server: l.consumerUuid, detail: `${l.vcpus} vCPU, ${l.memoryMb} MB RAM, ${l.diskGb} GB disk held for no server or migration`, fixed: false };
        if (fix) { await repos.claims.release(l.consumerUuid, this.now()); f.fixed = true; }
        out.push(f);
      }
    }
    return out;
  }
}

/** Enough of a server for a driver to find and remove its domain and files. */
function stub(uuid: string) {
  return {
    uuid, name: uuid, hostname: uuid, projectId: '', userId: null, image: null, userData: null, keyData: null, metadata: {}, configDrive: false, network: 'none',
    flavor: { name: '', vcpus: 0, memoryMb: 0, rootGb: 0, ephemeralGb: 0, swapMb: 0, extraSpecs: {} },
  };
}
