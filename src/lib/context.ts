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
  get serverGroups(): ServerGroupsService { return this.once('serverGroups', () => new ServerGroupsService(this.stores, this.clock)); }
  get hosts(): HostsService {
    return this.once('hosts', () => new HostsService(this.stores, this.config, this.clock, this.cells, this.aggregates));
  }
  get images(): ImagesService { return this.once('images', () => new ImagesService(this.stores, this.config, this.clock)); }
  get keypairs(): KeypairsService { return this.once('keypairs', () => new KeypairsService(this.stores, this.clock)); }
  get projects(): ProjectsService { return this.once('projects', () => new ProjectsService(this.stores, this.clock)); }
  /** The scheduler is built (and its config validated: unknown filters are exit 7) on first use. */
  get scheduling(): SchedulingService {
    return this.once('scheduling', () => new SchedulingService(this.stores, this.clock,
      new HostStateCache(this.stores, this.config, this.clock, this.cells), new Scheduler(SchedulingService.configFrom(this.config))));
  }
  /** Who the CLI acts as: admin in the admin project (projects and users come with the servers issue). */
  readonly actor = { projectId: 'admin', userId: 'admin' };
  get status(): StatusService { return this.once('status', () => new StatusService({ cells: this.cells, dbAdmin: this.dbAdmin })); }

  async close(): Promise<void> {
    await this.stores.close();
  }
}
