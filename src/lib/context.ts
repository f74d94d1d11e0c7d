/**
 * The composition root: loads configuration, owns the database pools, and wires services.
 * Commands and the REST adapter get everything through a Context; nothing else constructs
 * stores, repos or drivers.
 */
import { Clock, systemClock } from './clock';
import { Config, LoadOptions } from './config';
import { Stores } from './db/stores';
import { CellsService } from './services/cells';
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
  get status(): StatusService { return this.once('status', () => new StatusService({ cells: this.cells, dbAdmin: this.dbAdmin })); }

  async close(): Promise<void> {
    await this.stores.close();
  }
}
