/** What the services that move, rebuild or rescue servers need: the core pieces, wired by the Context. */
import type { Clock } from '../clock';
import type { Compute } from '../compute/compute';
import type { Config } from '../config';
import type { TaskRunner } from '../conductor/runner';
import type { ServerTasks } from '../conductor/server-tasks';
import type { Stores } from '../db/stores';
import type { HostsService } from './hosts';
import type { ImagesService } from './images';
import type { QuotasService } from './quotas';
import type { SchedulingService } from './scheduling';
import type { ServersService } from './servers';
import type { FlavorsService } from './flavors';

export interface ServerOpsDeps {
  stores: Stores;
  clock: Clock;
  config: Config;
  servers: ServersService;
  tasks: ServerTasks;
  runner: TaskRunner;
  scheduling: SchedulingService;
  compute: Compute;
  hosts: HostsService;
  images: ImagesService;
  quotas: QuotasService;
  flavors: FlavorsService;
}
