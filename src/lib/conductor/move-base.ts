/**
 * What the move tasks (resize, cold and live migration, evacuation) share: their narrow view of
 * the rest of the core, instance-action events, driver calls on a named host, resource amounts,
 * and timers — durable task rows whose lease is the deadline, so that whichever novalite process
 * looks after it expires does the deferred work (auto-confirm, evacuation clean-up).
 */
import { withEvent } from './events';
import { randomUUID } from 'node:crypto';
import { Clock, isoTime } from '../clock';
import { Config } from '../config';
import { Compute, instanceSpec } from '../compute/compute';
import { Stores } from '../db/stores';
import { HostError } from '../errors';
import { CellMapping } from '../model/cells';
import { ComputeHost, Flavor, Resources, ServerGroup } from '../model/compute';
import { Server, FlavorSnapshot } from '../model/servers';
import type { ImageRef, InstanceInfo } from '../../virt/driver';
import type { ImageSource, PlacementResult } from './deps';
import { TaskRunner } from './runner';

export interface MoveScheduleInput {
  flavor: Flavor; image?: { id: string; properties: Record<string, string | string[]> } | null; availabilityZone?: string | null;
  hints?: Record<string, string | string[]>; group?: ServerGroup | null; projectId: string; userId: string;
  retryHosts?: string[]; cellUuid?: string; host?: string;
}

export interface MoveDeps {
  stores: Stores;
  clock: Clock;
  config: Config;
  compute: Compute;
  runner: TaskRunner;
  placer: {
    placeAndClaim(input: MoveScheduleInput, consumerUuids: string[]): Promise<PlacementResult[]>;
    release(p: { consumerUuid: string; cellUuid: string }): Promise<number>;
  };
  quotas: {
    consume(projectId: string, userId: string, deltas: Record<string, number>): Promise<void>;
    release(projectId: string, userId: string, deltas: Record<string, number>): Promise<void>;
  };
  images: ImageSource;
  hosts: { find(name: string): Promise<ComputeHost | null>; isUp(h: ComputeHost): boolean };
  fault(cell: CellMapping, uuid: string, e: unknown, host: string | null): Promise<void>;
}

/** What every move task keeps in its task row: enough to finish or undo it after a crash. */
export interface MovePayload {
  migrationUuid: string;
  actionId?: number;
  oldVmState?: string;
  token?: Record<string, unknown>;
  [k: string]: unknown;
}

/** Timer task kinds: rows nobody heartbeats, recovered once their lease (the deadline) passes. */
export const TIMER_KINDS = ['resize_auto_confirm', 'evacuate_cleanup'];

/** System metadata a resize keeps until it is confirmed or reverted (Nova keeps old_vm_state there too). */
export const SYSMETA = { oldVmState: 'old_vm_state', oldFlavor: 'old_flavor', newFlavor: 'new_flavor' };

/** The resources a flavor claims, as the claim computes them (scheduler's requestedDiskGb). */
export function amountOf(f: FlavorSnapshot): Resources {
  return { vcpus: f.vcpus, memoryMb: f.memoryMb, diskGb: f.rootGb + f.ephemeralGb + Math.ceil(f.swapMb / 1024) };
}

/** Quota a resize consumes up front (growth) and frees once it is done (shrinkage). */
export function quotaDeltas(from: FlavorSnapshot, to: FlavorSnapshot): { up: Record<string, number>; down: Record<string, number> } {
  const dc = to.vcpus - from.vcpus;
  const dr = to.memoryMb - from.memoryMb;
  return { up: { cores: Math.max(0, dc), ram: Math.max(0, dr) }, down: { cores: Math.max(0, -dc), ram: Math.max(0, -dr) } };
}

export const anyDelta = (d: Record<string, number>): boolean => Object.values(d).some((v) => v !== 0);

export function snapshotOf(f: Flavor): FlavorSnapshot {
  return { id: f.id, flavorid: f.flavorid, name: f.name, vcpus: f.vcpus, memoryMb: f.memoryMb, rootGb: f.rootGb, ephemeralGb: f.ephemeralGb, swapMb: f.swapMb, extraSpecs: { ...f.extraSpecs } };
}

/** A scheduler flavor for a server's own (snapshot) flavor: cold and live migration keep it. */
export function flavorOf(f: FlavorSnapshot): Flavor {
  return { ...f, rxtxFactor: 1, isPublic: true, disabled: false, description: null, projects: [], createdAt: '' };
}

export class MoveBase {
  constructor(protected readonly d: MoveDeps) {}

  protected now(): string { return isoTime(this.d.clock.now()); }
  protected async repos(cell: CellMapping) { return this.d.stores.cell(cell); }

  protected event<T>(cell: CellMapping, actionId: number | undefined, event: string, host: string | null, fn: () => Promise<T>): Promise<T> {
    return withEvent(this.d.stores, this.d.clock, cell, actionId, event, host, fn);
  }

  protected async finishAction(cell: CellMapping, actionId: number | undefined, e?: unknown): Promise<void> {
    if (actionId) await (await this.repos(cell)).actions.finish(actionId, this.now(), e ? (e as Error).message : undefined);
  }

  /** The registered host, or a HostError naming it. */
  protected async host(name: string | null): Promise<ComputeHost> {
    const h = name ? await this.d.hosts.find(name) : null;
    if (!h) throw new HostError(`Host ${name ?? '(none)'} is not registered (any more).`, { code: 'HOST_NOT_FOUND' });
    return h;
  }

  protected spec(s: Server, flavor: FlavorSnapshot = s.flavor, image: ImageRef | null = null) {
    return instanceSpec({ ...s, flavor }, image);
  }

  /** What the host says about the server, or null when it does not have it (or cannot be asked). */
  protected async info(host: ComputeHost | null, s: Server): Promise<InstanceInfo | null> {
    if (!host) return null;
    return this.d.compute.call(host, 'get_info', (drv) => drv.getInfo(this.spec(s))).catch(() => null);
  }

  /** The flavors of a resize in progress (from system metadata; the current flavor when missing). */
  protected resizeFlavors(s: Server): { old: FlavorSnapshot; neu: FlavorSnapshot; oldVmState: string } {
    const parse = (v: string | undefined) => { try { return v ? JSON.parse(v) as FlavorSnapshot : null; } catch { return null; } };
    return {
      old: parse(s.systemMetadata[SYSMETA.oldFlavor]) ?? s.flavor,
      neu: parse(s.systemMetadata[SYSMETA.newFlavor]) ?? s.flavor,
      oldVmState: s.systemMetadata[SYSMETA.oldVmState] ?? 'active',
    };
  }

  protected async clearResizeMetadata(cell: CellMapping, uuid: string): Promise<void> {
    await (await this.repos(cell)).instances.setMetadata(uuid, { [SYSMETA.oldVmState]: null, [SYSMETA.oldFlavor]: null, [SYSMETA.newFlavor]: null }, this.now(), true);
  }

  /** A durable timer: a task row whose lease runs out after `seconds`; its recoverer does the work. */
  protected async arm(cell: CellMapping, kind: string, instanceUuid: string, payload: object, seconds: number): Promise<void> {
    const until = isoTime(new Date(this.d.clock.now().getTime() + seconds * 1000));
    await (await this.repos(cell)).tasks.create({ uuid: randomUUID(), kind, instanceUuid, payload, owner: this.d.runner.owner, leaseUntil: until }, this.now());
  }

  /** Ends the timers of `kind` for a server (the work they would do was done another way). */
  protected async disarm(cell: CellMapping, instanceUuid: string, kind: string): Promise<void> {
    const tasks = (await this.repos(cell)).tasks;
    for (const t of await tasks.activeFor(instanceUuid)) {
      if (t.kind === kind) await tasks.finish(t.uuid, t.owner ?? '', 'done', { disarmed: true }, this.now());
    }
  }
}
