/**
 * What the conductor needs from the rest of the core, as narrow interfaces: the services that
 * implement them are wired in by the Context, so the conductor never imports a service (and
 * services can call the conductor without a cycle).
 */
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Compute } from '../compute/compute';
import type { Stores } from '../db/stores';
import type { CellMapping } from '../model/cells';
import type { ComputeHost, Flavor, ServerGroup } from '../model/compute';
import type { ImageRef } from '../../virt/driver';
import type { TaskRunner } from './runner';

export interface PlacementResult { consumerUuid: string; host: string; nodename: string; nodeUuid: string; cellUuid: string; availabilityZone?: string }

export interface Placer {
  placeAndClaim(input: {
    flavor: Flavor; image?: { id: string; properties: Record<string, string | string[]> } | null; availabilityZone?: string | null;
    hints?: Record<string, string | string[]>; group?: ServerGroup | null; projectId: string; userId: string;
    retryHosts?: string[]; cellUuid?: string; host?: string;
  }, consumerUuids: string[]): Promise<PlacementResult[]>;
  release(p: { consumerUuid: string; cellUuid: string }): Promise<number>;
}

export interface QuotaKeeper {
  release(projectId: string, userId: string, deltas: Record<string, number>): Promise<void>;
}

export interface ImageSource {
  /** The driver's view of an image, or null when the server has none (or it is gone). */
  refFor(imageId: string | null): Promise<ImageRef | null>;
}

export interface HostDirectory {
  /** The host record, or null when it is not registered (any more). */
  find(name: string): Promise<ComputeHost | null>;
  cellOf(uuid: string): Promise<CellMapping | null>;
}

export interface ConductorDeps {
  stores: Stores;
  clock: Clock;
  config: Config;
  compute: Compute;
  runner: TaskRunner;
  placer: Placer;
  quotas: QuotaKeeper;
  images: ImageSource;
  hosts: HostDirectory;
}
