/**
 * The composition root: loads configuration, owns the database pools, and wires services.
 * Commands and the REST adapter get everything through a Context; nothing else constructs
 * stores, repos or drivers.
 */
import { Clock, systemClock } from './clock';
import { Config, LoadOptions } from './config';
import { Stores } from './db/stores';
import { AggregatesService } from './services/aggregates';
import { CellsService } from './services/cells';
import { FlavorsService } from './services/flavors';
import { HostStateCache } from './services/host-states';
import { HostsService } from './services/hosts';
import { ImagesService } from './services/images';
import { KeypairsService } from './services/keypairs';
import { ProjectsService } from './services/projects';
import { SchedulingService } from './services/scheduling';
import { Scheduler } from './scheduler';
import type { ComputeHost } from './model/compute';
import { Compute, instanceSpec } from './compute/compute';
import { TaskRunner } from './conductor/runner';
import { ServerTasks } from './conductor/server-tasks';
import { QuotasService } from './services/quotas';
import { ServerActionsService } from './services/server-actions';
import { ServerMovesService } from './services/server-moves';
import { ServerOpsDeps } from './services/server-ops-deps';
import { ServerRebuildsService } from './services/server-rebuilds';
import { ServersService } from './services/servers';
import { checkDriverConfig, closeDriverConnections, driverFor, probeNewHost } from '../virt/registry';
import { SshHostsService } from './services/ssh-hosts';
import { IdentityService } from './services/identity';
import { HostChecksService } from './services/host-checks';
import { DoctorService } from './services/doctor';
import { HostMaintenanceService } from './services/host-maintenance';
import { ServerInspectService } from './services/server-inspect';
import { ServerAttributesService } from './services/server-attributes';
import { ServerGroupsService } from './services/server-groups';
import { DbAdminService } from './services/db-admin';
import { StatusService } from './services/status';

export interface ContextOptions extends LoadOptions {
  clock?: Clock;
}

export class Context {
  readonly config: Config;
  readonly clock: Clock;
  readonly stores: Stores;
  private cache = new Map<string, unknown>();

  constructor(opts: ContextOptions = {}) {
    this.config = Config.load(opts);
    this.clock = opts.clock ?? systemClock;
    this.stores = new Stores(this.config);
  }

  private once<T>(key: string, make: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, make());
    return this.cache.get(key) as T;
  }

  get cells(): CellsService { return this.once('cells', () => new CellsService(this.stores, this.clock)); }
  get dbAdmin(): DbAdminService { return this.once('dbAdmin', () => new DbAdminService(this.stores, this.clock)); }
  get flavors(): FlavorsService { return this.once('flavors', () => new FlavorsService(this.stores, this.clock)); }
  get aggregates(): AggregatesService { return this.once('aggregates', () => new AggregatesService(this.stores, this.config, this.clock)); }
  get serverGroups(): ServerGroupsService { return this.once('serverGroups', () => new ServerGroupsService(this.stores, this.clock, (p, u) => this.quotas.limits(p, u))); }
  get hosts(): HostsService {
    return this.once('hosts', () => new HostsService(this.stores, this.config, this.clock, this.cells, this.aggregates,
      (driver, name, driverConfig) => checkDriverConfig(driver, { name, address: null, driverConfig })));
  }
  get identity(): IdentityService { return this.once('identity', () => new IdentityService(this.stores, this.clock, { config: this.config, projects: this.projects })); }
  get sshHosts(): SshHostsService { return this.once('sshHosts', () => new SshHostsService(this.hosts, probeNewHost)); }
  get doctor(): DoctorService { return this.once('doctor', () => new DoctorService(this.stores, this.clock, this.cells, this.hosts, this.compute, this.images)); }
  get serverInspect(): ServerInspectService { return this.once('serverInspect', () => new ServerInspectService(this.stores, this.clock, this.cells, this.hosts, this.compute, this.images)); }
  get hostMaintenance(): HostMaintenanceService { return this.once('hostMaintenance', () => new HostMaintenanceService(this.hosts, this.servers, this.serverMoves)); }
  get hostChecks(): HostChecksService { return this.once('hostChecks', () => new HostChecksService(this.hosts, this.compute)); }
  get images(): ImagesService { return this.once('images', () => new ImagesService(this.stores, this.config, this.clock)); }
  get keypairs(): KeypairsService { return this.once('keypairs', () => new KeypairsService(this.stores, this.clock, (p, u) => this.quotas.limits(p, u))); }
  get projects(): ProjectsService { return this.once('projects', () => new ProjectsService(this.stores, this.clock)); }
  /** The scheduler is built (and its config validated: unknown filters are exit 7) on first use. */
  get scheduling(): SchedulingService {
    return this.once('scheduling', () => new SchedulingService(this.stores, this.clock,
      new HostStateCache(this.stores, this.config, this.clock, this.cells), new Scheduler(SchedulingService.configFrom(this.config))));
  }
  get quotas(): QuotasService { return this.once('quotas', () => new QuotasService(this.stores)); }

  /** The compute layer, with the driver registry as its factory (the only place that knows drivers). */
  get compute(): Compute {
    const statePath = this.config.get<string>('fake_driver', 'state') === 'memory' ? '' : this.config.get<string>('DEFAULT', 'state_path');
    return this.once('compute', () => new Compute((h) => driverFor(h.driver, h, { statePath }), async (h, ok, error) => {
      this.hostCache.delete(h.host);
      await this.hosts.recordContact(h.host, ok, error);
    }));
  }

  get runner(): TaskRunner { return this.once('runner', () => new TaskRunner(this.stores, this.config, this.clock)); }

  get serverTasks(): ServerTasks {
    return this.once('serverTasks', () => new ServerTasks({
      stores: this.stores, clock: this.clock, config: this.config, compute: this.compute, runner: this.runner,
      placer: this.scheduling, quotas: this.quotas,
      images: { refFor: (id) => this.images.driverRef(id) },
      hosts: { find: (name) => this.hostForDriver(name), cellOf: (uuid) => this.stores.api().then((a) => a.cells.byUuid(uuid)) },
    }));
  }

  private hostCache = new Map<string, { at: number; host: ComputeHost | null }>();

  /**
   * Host records for driver calls, kept for a second: a task asks for its host at each step, and
   * what a driver needs (its type, address, configuration) does not change between steps.
   */
  private async hostForDriver(name: string): Promise<ComputeHost | null> {
    const hit = this.hostCache.get(name);
    if (hit && this.clock.now().getTime() - hit.at < 1000) return hit.host;
    const host = await this.hosts.find(name);
    this.hostCache.set(name, { at: this.clock.now().getTime(), host });
    return host;
  }

  /** Takes over durable tasks whose owner died (any command that touches servers calls this first). */
  async recoverTasks(): Promise<number> {
    const t = this.serverTasks;
    const n = await this.runner.recoverExpired({
      build: (h) => t.recoverBuild(h), delete: (h) => t.recoverDelete(h), power: (h) => t.recoverPower(h),
      ...this.serverMoves.recoverers(), ...this.serverRebuilds.recoverers(),
    });
    return n + await this.serverRebuilds.reclaim();
  }

  private get opsDeps(): ServerOpsDeps {
    return {
      stores: this.stores, clock: this.clock, config: this.config, servers: this.servers, tasks: this.serverTasks, runner: this.runner,
      scheduling: this.scheduling, compute: this.compute, hosts: this.hosts, images: this.images, quotas: this.quotas, flavors: this.flavors,
    };
  }

  /** Resize, cold and live migration, evacuation. */
  get serverMoves(): ServerMovesService { return this.once('serverMoves', () => new ServerMovesService(this.opsDeps)); }
  /** Rebuild, rescue, shelve, reset-state, restore. */
  get serverRebuilds(): ServerRebuildsService { return this.once('serverRebuilds', () => new ServerRebuildsService(this.opsDeps)); }

  get servers(): ServersService {
    return this.once('servers', () => new ServersService({
      stores: this.stores, config: this.config, clock: this.clock, tasks: this.serverTasks, scheduling: this.scheduling, quotas: this.quotas,
      flavors: this.flavors, images: this.images, keypairs: this.keypairs, projects: this.projects, groups: this.serverGroups,
      recover: () => this.recoverTasks(),
      softDelete: (s, userId) => this.serverRebuilds.softDelete(s, userId),
    }));
  }

  /** Server tags and metadata. */
  get serverAttributes(): ServerAttributesService { return this.once('serverAttributes', () => new ServerAttributesService(this.stores, this.clock, this.servers, this.quotas)); }

  get serverActions(): ServerActionsService {
    return this.once('serverActions', () => new ServerActionsService({
      stores: this.stores, clock: this.clock, servers: this.servers, tasks: this.serverTasks,
      consoleOutput: async (s) => {
        const h = s.host ? await this.hosts.find(s.host) : null;
        if (!h) return '';
        return this.compute.call(h, 'console', (d) => d.getConsoleOutput(instanceSpec(s, null)));
      },
      capabilities: async (s) => {
        const h = s.host ? await this.hosts.find(s.host) : null;
        return h ? { ...this.compute.driver(h).capabilities } : null;
      },
    }));
  }

  /** Who the CLI acts as, by name: the admin user in the admin project. */
  readonly actor = { projectId: 'admin', userId: 'admin' };

  /** The actor with its project resolved to the project's id (creating `admin` on first use). */
  async whoami(project?: string): Promise<{ projectId: string; userId: string }> {
    return { projectId: (await this.projects.resolve(project ?? this.actor.projectId)).id, userId: this.actor.userId };
  }
  get status(): StatusService { return this.once('status', () => new StatusService({ cells: this.cells, dbAdmin: this.dbAdmin })); }

  async close(): Promise<void> {
    await closeDriverConnections().catch(() => undefined);
    await this.stores.close();
  }
}
