/**
 * The host registry: compute hosts (a service plus a compute node) in a cell, mapped in the API
 * database, optionally placed in an availability zone. This issue registers fake-driver hosts;
 * the libvirt driver adds SSH hosts to the same registry.
 */
import { randomUUID } from 'node:crypto';
import { Clock, isoTime } from '../clock';
import { Config } from '../config';
import { Stores } from '../db/stores';
import { ConflictError, InvalidInputError, NotFoundError, NotSupportedError } from '../errors';
import { isCell0, CellMapping } from '../model/cells';
import { ComputeHost } from '../model/compute';
import { AggregatesService } from './aggregates';
import { CellsService } from './cells';
import { checkHostName, checkInt, checkRatio } from './validate';

export interface HostAdd {
  name: string; driver: string; vcpus: number; memoryMb: number; diskGb: number; az?: string; cell?: string;
  cpuAllocationRatio?: number; ramAllocationRatio?: number; diskAllocationRatio?: number; hostIp?: string;
  driverConfig?: Record<string, unknown>;
}

export interface HostInfo extends ComputeHost { availabilityZone: string; up: boolean }

export class HostsService {
  constructor(private readonly stores: Stores, _config: Config, private readonly clock: Clock,
    private readonly cells: CellsService, private readonly aggregates: AggregatesService,
    /** Validates a driver's configuration before anything is written (wired to the driver registry). */
    private readonly checkDriverConfig: (driver: string, name: string, config: Record<string, unknown>) => void = () => undefined) {}

  private now(): string { return isoTime(this.clock.now()); }

  /** The cell a new host goes to: the one named, else the first enabled regular cell. */
  private async targetCell(ref?: string): Promise<CellMapping> {
    if (ref) {
      const c = await this.cells.get(ref);
      if (isCell0(c)) throw new InvalidInputError('Hosts cannot be added to cell0.', { hint: 'Name a regular cell with --cell.' });
      return c;
    }
    const c = (await this.cells.list()).find((x) => !isCell0(x) && !x.disabled);
    if (!c) throw new NotFoundError('Cell', 'any enabled cell', { hint: 'Run `novalite cell-v2 simple-cell-setup` first.' });
    return c;
  }

  /**
   * Hosts run no agent, so a host is up unless an admin forced it down or the last contact with
   * it (a heartbeat, a probe, an operation) failed; the next successful contact brings it back.
   */
  isUp(h: ComputeHost): boolean {
    return !h.forcedDown && !h.unreachableSince;
  }

  async add(a: HostAdd): Promise<HostInfo> {
    const name = checkHostName(a.name);
    if (a.driver !== 'fake') throw new NotSupportedError(`Driver ${JSON.stringify(a.driver)} hosts are added with an SSH address.`, { hint: 'Use --driver fake, or --driver libvirt --address A --key K.' });
    const vcpus = checkInt('--vcpus', a.vcpus, 1, 1_000_000);
    const memoryMb = checkInt('--memory-mb', a.memoryMb, 1, 1_000_000_000);
    const diskGb = checkInt('--disk-gb', a.diskGb, 0, 1_000_000_000);
    try {
      this.checkDriverConfig(a.driver, name, a.driverConfig ?? {});
    } catch (e) {
      // At registration a bad knob is bad input (exit 2), not a broken configuration file.
      throw new InvalidInputError((e as Error).message, { code: 'INVALID_DRIVER_CONFIG', hint: 'Check the --fake-* flags.' });
    }
    return this.register({
      ...a, name, vcpus, memoryMb, diskGb, hypervisorType: 'fake', hypervisorVersion: 1000,
      cpuInfo: { arch: 'x86_64', model: 'fake', vendor: 'novalite', features: [] },
    });
  }

  /** Fails with exit 4 when the name is registered anywhere (checked before probing a new host). */
  async checkFree(name: string, cellRef?: string): Promise<CellMapping> {
    const cell = await this.targetCell(cellRef);
    const api = await this.stores.api();
    if (await api.hostMappings.byHost(name)) throw new ConflictError(`Host ${name} is already registered.`, { code: 'HOST_EXISTS', hint: 'Choose another name, or `novalite host remove` it first.' });
    return cell;
  }

  /** Writes a host whose facts are known (checked flags, or a probe), mapping and zone included, or nothing. */
  async register(a: HostAdd & { hypervisorType: string; hypervisorVersion: number; cpuInfo: Record<string, unknown> }): Promise<HostInfo> {
    const name = a.name;
    const cell = await this.checkFree(name, a.cell);
    const api = await this.stores.api();
    const repos = await this.stores.cell(cell);
    if (await repos.hosts.byName(name)) throw new ConflictError(`Host ${name} is already registered in cell ${cell.name}.`, { code: 'HOST_EXISTS' });
    const now = this.now();
    await repos.hosts.create({
      host: name, nodeUuid: randomUUID(), serviceUuid: randomUUID(), driver: a.driver, hypervisorType: a.hypervisorType, hypervisorVersion: a.hypervisorVersion,
      vcpus: a.vcpus, memoryMb: a.memoryMb, localGb: a.diskGb, hostIp: a.hostIp ?? null,
      cpuAllocationRatio: checkRatio('--cpu-allocation-ratio', a.cpuAllocationRatio), ramAllocationRatio: checkRatio('--ram-allocation-ratio', a.ramAllocationRatio),
      diskAllocationRatio: checkRatio('--disk-allocation-ratio', a.diskAllocationRatio),
      cpuInfo: a.cpuInfo, stats: {}, driverConfig: a.driverConfig ?? {},
    }, now);
    try {
      await api.hostMappings.mapHosts(cell.id, [name], now);
      if (a.az) await this.aggregates.addHost((await this.aggregates.ensureZoneAggregate(a.az)).uuid, name);
    } catch (e) {
      // Leave nothing half-made: undo the cell rows and the mapping.
      await repos.hosts.softDelete(name, now).catch(() => undefined);
      await api.hostMappings.delete(cell.id, name).catch(() => undefined);
      throw e;
    }
    return this.show(name);
  }

  /** Records the outcome of a contact with an agentless host (heartbeat, probe or operation). */
  async recordContact(name: string, ok: boolean, error: string | null): Promise<void> {
    const { cell } = await this.locate(name);
    await (await this.stores.cell(cell)).hosts.recordContact(name, ok, error, this.now());
  }

  /** Stores a driver's new view of the host (re-pinned key, re-probed inventory). */
  async updateDriver(name: string, fields: { driverConfig: Record<string, unknown>; vcpus?: number; memoryMb?: number; localGb?: number; hypervisorVersion?: number; cpuInfo?: Record<string, unknown> }): Promise<HostInfo> {
    const { cell, host } = await this.locate(name);
    await (await this.stores.cell(cell)).hosts.updateDriver(name, { ...fields, driver: host.driver }, this.now());
    return this.show(name);
  }

  private async locate(name: string): Promise<{ cell: CellMapping; host: ComputeHost }> {
    const api = await this.stores.api();
    const m = await api.hostMappings.byHost(name);
    const cell = m ? (await this.cells.list()).find((c) => c.id === m.cellId) : undefined;
    const host = cell ? await (await this.stores.cell(cell)).hosts.byName(name) : null;
    if (!cell || !host) throw new NotFoundError('Host', name, { hint: 'Run `novalite host list`.' });
    return { cell, host };
  }

  /** The host record, or null when it is not registered. */
  async find(name: string): Promise<ComputeHost | null> {
    try {
      return (await this.locate(name)).host;
    } catch (e) {
      if (e instanceof NotFoundError) return null;
      throw e;
    }
  }

  private async decorate(hosts: ComputeHost[]): Promise<HostInfo[]> {
    const aggs = await this.aggregates.list();
    return hosts.map((h) => ({ ...h, availabilityZone: this.aggregates.zoneOf(h.host, aggs), up: this.isUp(h) }));
  }

  async list(opts: { cell?: string } = {}): Promise<HostInfo[]> {
    const cells = opts.cell ? [await this.cells.get(opts.cell)] : (await this.cells.list()).filter((c) => !isCell0(c));
    const all: ComputeHost[] = [];
    for (const c of cells) all.push(...(await (await this.stores.cell(c)).hosts.list()));
    return this.decorate(all);
  }

  async show(name: string): Promise<HostInfo> {
    return (await this.decorate([(await this.locate(name)).host]))[0];
  }

  async setEnabled(name: string, enabled: boolean, reason?: string): Promise<HostInfo> {
    const { cell } = await this.locate(name);
    if (enabled && reason) throw new InvalidInputError('--reason goes with disable, not enable.');
    await (await this.stores.cell(cell)).hosts.setDisabled(name, !enabled, enabled ? null : reason ?? null, this.now());
    return this.show(name);
  }

  /** Marks a host down (or up again) by hand, as `openstack compute service set --down` does. */
  async setForcedDown(name: string, down: boolean): Promise<HostInfo> {
    const { cell } = await this.locate(name);
    await (await this.stores.cell(cell)).hosts.setForcedDown(name, down, this.now());
    return this.show(name);
  }

  async remove(name: string): Promise<HostInfo> {
    const info = await this.show(name);
    const { cell } = await this.locate(name);
    const repos = await this.stores.cell(cell);
    const live = await repos.instancesAdmin.countLive(name);
    if (live || info.runningVms > 0) {
      throw new ConflictError(`Host ${name} still has ${Math.max(live, info.runningVms)} server(s).`, { code: 'HOST_IN_USE', hint: 'Delete or migrate them first.' });
    }
    const api = await this.stores.api();
    await repos.hosts.softDelete(name, this.now());
    await api.hostMappings.delete(cell.id, name);
    await api.aggregates.removeHostEverywhere(name);
    return info;
  }
}
