/**
 * Moving servers: resize (and its confirm and revert, automatic after
 * `[compute] resize_confirm_window`), cold and live migration, evacuation, and the migration
 * records (`migration list`, Nova's os-migrations). Each request checks Nova's preconditions
 * here; the work runs as a durable task in the conductor (move-tasks.ts, host-move-tasks.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Recover } from '../conductor/runner';
import { ColdMoveTasks } from '../conductor/move-tasks';
import { HostMoveTasks } from '../conductor/host-move-tasks';
import { flavorOf, MoveDeps, MoveScheduleInput, TIMER_KINDS } from '../conductor/move-base';
import { ConflictError, InvalidInputError, InvalidStateError, NotFoundError, NotSupportedError } from '../errors';
import { CellMapping, isCell0 } from '../model/cells';
import { ComputeHost, Flavor } from '../model/compute';
import { Migration, MigrationStatus } from '../model/migrations';
import { Server } from '../model/servers';
import { DriverCapabilities } from '../../virt/driver';
import { ServerActionsService } from './server-actions';
import type { ServerOpsDeps } from './server-ops-deps';

export interface MigrationQuery { server?: string; host?: string; status?: string; type?: string; projectId?: string }

const MIGRATION_TYPES = ['resize', 'migration', 'live-migration', 'evacuation'];

export class ServerMovesService {
  private readonly cold: ColdMoveTasks;
  private readonly hostMoves: HostMoveTasks;

  constructor(readonly d: ServerOpsDeps) {
    const deps: MoveDeps = {
      stores: d.stores, clock: d.clock, config: d.config, compute: d.compute, runner: d.runner, placer: d.scheduling, quotas: d.quotas,
      images: { refFor: (id) => d.images.driverRef(id) },
      hosts: { find: (name) => d.hosts.find(name), isUp: (h) => d.hosts.isUp(h) },
      fault: (cell, uuid, e, host) => d.tasks.fault(cell, uuid, e, host),
    };
    this.cold = new ColdMoveTasks(deps);
    this.hostMoves = new HostMoveTasks(deps);
  }

  /** Recovery for the task kinds this service creates (merged into the Context's recovery). */
  recoverers(): Record<string, Recover> {
    return {
      resize: (t) => this.cold.recoverResize(t),
      resize_confirm: (t) => this.cold.recoverConfirm(t),
      resize_revert: (t) => this.cold.recoverRevert(t),
      resize_auto_confirm: (t) => this.cold.autoConfirm(t),
      live_migrate: (t) => this.hostMoves.recoverLive(t),
      evacuate: (t) => this.hostMoves.recoverEvacuate(t),
      evacuate_cleanup: (t) => this.hostMoves.cleanupTimer(t),
    };
  }

  private async load(ref: string, projectId: string | undefined): Promise<{ s: Server; cell: CellMapping }> {
    await this.d.servers.recover();
    const s = await this.d.servers.get(ref, projectId);
    return { s, cell: await this.d.servers.cellOf(s) };
  }

  private static assertUnlocked(s: Server): void {
    if (!s.locked) return;
    throw new ConflictError(`Server ${s.name} is locked${s.systemMetadata.locked_reason ? ` (${s.systemMetadata.locked_reason})` : ''}.`, {
      code: 'SERVER_LOCKED', hint: `Run \`novalite server unlock ${s.uuid}\` first.`,
    });
  }

  /** The host the server runs on: registered, up, and with a driver that can do `capability`. */
  private async source(s: Server, capability: keyof DriverCapabilities, what: string): Promise<ComputeHost> {
    const h = s.host ? await this.d.hosts.find(s.host) : null;
    if (!h) throw new InvalidStateError(`Server ${s.name} has no usable host (${s.host ?? 'none'}); it cannot be ${what}.`, { hint: 'Evacuate or rebuild it.' });
    if (!this.d.hosts.isUp(h)) {
      throw new ConflictError(`The compute service of host ${h.host} is down; server ${s.name} cannot be ${what}.`, {
        code: 'COMPUTE_SERVICE_UNAVAILABLE', hint: `Run \`novalite server evacuate ${s.uuid}\` to rebuild it elsewhere.`,
      });
    }
    if (this.d.compute.driver(h).capabilities[capability] === false) throw new NotSupportedError(`The ${h.driver} driver of host ${h.host} cannot do that: server ${s.name} cannot be ${what}.`);
    return h;
  }

  /** An admin's choice of destination: registered, and not where the server already is. */
  private async checkDestination(host: string | undefined, s: Server): Promise<void> {
    if (host === undefined) return;
    if (host === s.host) throw new InvalidInputError(`Server ${s.name} is already on host ${host}.`, { code: 'SAME_HOST', hint: 'Choose another host, or leave --host out to let the scheduler choose.' });
    if (!(await this.d.hosts.find(host))) throw new NotFoundError('Host', host, { hint: 'Run `novalite host list`.' });
  }

  /**
   * What the scheduler gets for a move: the server's image, AZ and server group (no request spec
   * is stored, so hints given at create time are not replayed), never the source host unless
   * `sameHost`.
   */
  private async scheduleInput(s: Server, cell: CellMapping, flavor: Flavor, opts: { sameHost?: boolean; host?: string }): Promise<MoveScheduleInput> {
    const image = s.imageRef ? await this.d.images.get(s.imageRef).catch(() => null) : null;
    const group = (await (await this.d.stores.api()).serverGroups.list(s.projectId)).find((g) => g.members.includes(s.uuid)) ?? null;
    return {
      flavor, image: image ? { id: image.id, properties: image.properties } : null, availabilityZone: s.availabilityZone, hints: {}, group,
      projectId: s.projectId, userId: s.userId ?? '', retryHosts: opts.sameHost || !s.host ? [] : [s.host], cellUuid: cell.uuid, host: opts.host,
    };
  }

  /** Lazy clean-up of what deletes and evacuations left on hosts that can be reached again. */
  private async sweep(cell: CellMapping): Promise<void> {
    await this.cold.sweep(cell).catch(() => undefined);
    await this.hostMoves.sweep(cell).catch(() => undefined);
  }

  private static requestId(): string { return `req-${randomUUID()}`; }

  /** `server resize --flavor F`: to VERIFY_RESIZE on a host that fits the new flavor. */
  async resize(ref: string, projectId: string | undefined, flavorRef: string, userId: string): Promise<Server> {
    const { s, cell } = await this.load(ref, projectId);
    ServerMovesService.assertUnlocked(s);
    ServerActionsService.assertAllowed('resize', s);
    const flavor = await this.d.flavors.get(flavorRef);
    if (flavor.id === s.flavor.id) {
      throw new InvalidInputError(`Server ${s.name} already has flavor ${flavor.name}; a resize must change the flavor.`, { code: 'SAME_FLAVOR', hint: `Use \`novalite server migrate ${s.name}\` to move it without resizing.` });
    }
    if (flavor.rootGb < s.flavor.rootGb) {
      throw new InvalidInputError(`Flavor ${flavor.name} has a ${flavor.rootGb} GB root disk, smaller than the ${s.flavor.rootGb} GB of server ${s.name}: disks cannot shrink.`, { code: 'RESIZE_DISK_DOWN' });
    }
    const image = s.imageRef ? await this.d.images.get(s.imageRef).catch(() => null) : null;
    if (image && image.minRam > flavor.memoryMb) throw new InvalidInputError(`Flavor ${flavor.name} has ${flavor.memoryMb} MB RAM; image ${image.name} needs at least ${image.minRam} MB.`, { code: 'FLAVOR_MEMORY_TOO_SMALL' });
    if (image && flavor.rootGb > 0 && image.minDisk > flavor.rootGb) throw new InvalidInputError(`Flavor ${flavor.name} has a ${flavor.rootGb} GB disk; image ${image.name} needs at least ${image.minDisk} GB.`, { code: 'FLAVOR_DISK_TOO_SMALL' });
    await this.source(s, 'resize', 'resized');
    const sameHost = this.d.config.get<boolean>('DEFAULT', 'allow_resize_to_same_host');
    const schedule = await this.scheduleInput(s, cell, flavor, { sameHost });
    await this.sweep(cell);
    return this.cold.resize({ cell, server: s, type: 'resize', flavor, schedule, userId, requestId: ServerMovesService.requestId() });
  }

  /** `server migrate [--host H]`: a cold migration, i.e. a resize to the same flavor on another host. */
  async migrate(ref: string, projectId: string | undefined, opts: { host?: string }, userId: string): Promise<Server> {
    const { s, cell } = await this.load(ref, projectId);
    ServerMovesService.assertUnlocked(s);
    ServerActionsService.assertAllowed('migrate', s);
    await this.checkDestination(opts.host, s);
    await this.source(s, 'coldMigrate', 'migrated');
    const flavor = flavorOf(s.flavor);
    const schedule = await this.scheduleInput(s, cell, flavor, { host: opts.host });
    await this.sweep(cell);
    return this.cold.resize({ cell, server: s, type: 'migration', flavor, schedule, userId, requestId: ServerMovesService.requestId() });
  }

  private async pending(s: Server, cell: CellMapping): Promise<Migration> {
    const mig = await (await this.d.stores.cell(cell)).migrations.latest(s.uuid, [MigrationStatus.FINISHED]);
    if (!mig) throw new InvalidStateError(`Server ${s.name} has no resize or migration waiting for confirmation.`);
    return mig;
  }

  async confirmResize(ref: string, projectId: string | undefined, userId: string): Promise<Server> {
    const { s, cell } = await this.load(ref, projectId);
    ServerMovesService.assertUnlocked(s);
    ServerActionsService.assertAllowed('confirm_resize', s);
    const mig = await this.pending(s, cell);
    return this.cold.confirm(cell, s, mig.uuid, { userId, requestId: ServerMovesService.requestId() });
  }

  async revertResize(ref: string, projectId: string | undefined, userId: string): Promise<Server> {
    const { s, cell } = await this.load(ref, projectId);
    ServerMovesService.assertUnlocked(s);
    ServerActionsService.assertAllowed('revert_resize', s);
    const mig = await this.pending(s, cell);
    return this.cold.revert(cell, s, mig.uuid, { userId, requestId: ServerMovesService.requestId() });
  }

  /** `server live-migrate [--host H]`: the server keeps running; the scheduler checks the destination. */
  async liveMigrate(ref: string, projectId: string | undefined, opts: { host?: string }, userId: string): Promise<Server> {
    const { s, cell } = await this.load(ref, projectId);
    ServerMovesService.assertUnlocked(s);
    ServerActionsService.assertAllowed('live_migrate', s);
    await this.checkDestination(opts.host, s);
    await this.source(s, 'liveMigrate', 'live-migrated');
    const schedule = await this.scheduleInput(s, cell, flavorOf(s.flavor), { host: opts.host });
    await this.sweep(cell);
    return this.hostMoves.liveMigrate({ cell, server: s, schedule, userId, requestId: ServerMovesService.requestId() });
  }

  /**
   * `server evacuate [--host H]`: rebuilds the server of a down host on another host from its
   * image. Refused (exit 4) while the host's compute service is up, as Nova refuses it.
   */
  async evacuate(ref: string, projectId: string | undefined, opts: { host?: string }, userId: string): Promise<Server> {
    const { s, cell } = await this.load(ref, projectId);
    ServerActionsService.assertAllowed('evacuate', s);
    if (!s.host) throw new InvalidStateError(`Server ${s.name} has no host to be evacuated from.`, { hint: 'Rebuild or delete it.' });
    const source = await this.d.hosts.find(s.host);
    if (source && this.d.hosts.isUp(source)) {
      throw new ConflictError(`The compute service of host ${s.host} is still up; only servers of a host that is down can be evacuated.`, {
        code: 'COMPUTE_SERVICE_IN_USE', hint: `Use \`novalite server migrate ${s.name}\` or \`server live-migrate\` to move it from a working host.`,
        details: { host: s.host, vm_state: s.vmState, task_state: s.taskState },
      });
    }
    const busy = (await (await this.d.stores.cell(cell)).tasks.activeFor(s.uuid)).filter((t) => !TIMER_KINDS.includes(t.kind));
    if (busy.length) throw new InvalidStateError(`Server ${s.name} has a ${busy[0].kind} task running; try again when it has finished.`);
    await this.checkDestination(opts.host, s);
    const schedule = await this.scheduleInput(s, cell, flavorOf(s.flavor), { host: opts.host });
    return this.hostMoves.evacuate({ cell, server: s, schedule, userId, requestId: ServerMovesService.requestId() });
  }

  /** Migrations of every cell, newest first; evacuations whose source is up again are completed first. */
  async listMigrations(q: MigrationQuery = {}): Promise<Migration[]> {
    if (q.type && !MIGRATION_TYPES.includes(q.type)) throw new InvalidInputError(`Unknown migration type ${JSON.stringify(q.type)}.`, { hint: `Use ${MIGRATION_TYPES.join(', ')}.` });
    await this.d.servers.recover();
    const instanceUuid = q.server ? (await this.d.servers.get(q.server, q.projectId, { includeDeleted: true })).uuid : undefined;
    const out: Migration[] = [];
    for (const cell of await (await this.d.stores.api()).cells.list()) {
      if (isCell0(cell)) continue;
      await this.sweep(cell);
      out.push(...await (await this.d.stores.cell(cell)).migrations.list({ instanceUuid, host: q.host, status: q.status, migrationType: q.type }));
    }
    return out.sort((a, b) => (a.createdAt === b.createdAt ? b.id - a.id : a.createdAt < b.createdAt ? 1 : -1));
  }
}
