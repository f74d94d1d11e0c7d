/**
 * Servers: create (validate → quota → schedule and claim → build task), find, list across
 * cells, set and delete. Power actions live in server-actions.ts. A server that cannot be
 * scheduled goes to cell0 in ERROR with the NoValidHost explanation as its fault, as in Nova.
 */
import { randomUUID } from 'node:crypto';
import { Clock, isoTime } from '../clock';
import { Config } from '../config';
import type { ServerTasks } from '../conductor/server-tasks';
import { Stores } from '../db/stores';
import { ConflictError, InvalidInputError, NotFoundError, NoValidHostError, NovaliteError } from '../errors';
import { CELL0_UUID, CellMapping, isCell0 } from '../model/cells';
import { Flavor, ServerGroup } from '../model/compute';
import { Image, KeyPair, Project } from '../model/images';
import { Server } from '../model/servers';
import { PowerState, TaskState, VmState, vmStatesForStatus } from '../model/states';
import type { QuotasService } from './quotas';
import type { SchedulingService } from './scheduling';
import { checkName, parseProperties } from './validate';

export interface ServerDeps {
  stores: Stores; config: Config; clock: Clock; tasks: ServerTasks; scheduling: SchedulingService; quotas: QuotasService;
  flavors: { get(ref: string): Promise<Flavor> };
  images: { get(ref: string, projectId?: string): Promise<Image> };
  keypairs: { get(name: string, userId: string): Promise<KeyPair> };
  projects: { resolve(ref: string): Promise<Project> };
  groups: { get(ref: string, projectId?: string): Promise<ServerGroup> };
  recover(): Promise<number>;
  /** Soft delete ([DEFAULT] reclaim_instance_interval): returns the soft-deleted server, or null when a real delete applies. */
  softDelete?(s: Server, userId: string): Promise<Server | null>;
}

export interface CreateServer {
  name: string; flavor: string; image: string | null; keyName?: string; userData?: string; properties?: string[];
  availabilityZone?: string; host?: string; hints?: Record<string, string | string[]>; group?: string;
  min?: number; max?: number; configDrive?: boolean; network?: string; description?: string;
  idempotencyKey?: string; ifNotExists?: boolean; project: string; userId: string;
  /** The guest's host name (Nova 2.90); derived from the name when not given. */
  hostname?: string;
  /** Server tags (Nova 2.52). */
  tags?: string[];
  /** Nova's reservation id, shared by the servers of one request (kept in system metadata). */
  reservationId?: string;
}

export interface ListServers {
  project?: string; allProjects?: boolean; name?: string; status?: string; host?: string; flavor?: string; image?: string;
  changesSince?: Date; changesBefore?: Date; limit?: number; marker?: string; sortKey?: 'created_at' | 'display_name' | 'updated_at';
  sortDir?: 'asc' | 'desc'; deleted?: boolean;
  /** Further filtering of each cell's rows (the REST API's tag, IP and attribute filters); paging applies after it. */
  filter?: (rows: Server[]) => Promise<Server[]>;
}

const MAX_USER_DATA = 65535;

/** The per-filter part of a NoValidHost explanation: enough to act on, small enough to show. */
function faultDetails(details: unknown): string | null {
  const ex = details as { filters?: Array<{ filter: string; removed: number; summary?: string }> } | undefined;
  if (!ex?.filters) return null;
  return JSON.stringify({ filters: ex.filters.filter((f) => f.removed > 0).map((f) => ({ filter: f.filter, removed: f.removed, summary: f.summary })) });
}

export class ServersService {
  constructor(private readonly d: ServerDeps) {}

  private now(): string { return isoTime(this.d.clock.now()); }

  private async cells(): Promise<CellMapping[]> { return (await this.d.stores.api()).cells.list(); }

  /** A server by UUID (through its mapping) or by name within the project; NotFound otherwise. */
  async get(ref: string, projectId?: string, opts: { includeDeleted?: boolean } = {}): Promise<Server> {
    const api = await this.d.stores.api();
    const m = await api.instanceMappings.byInstance(ref);
    const cells = await this.cells();
    if (m && m.cellId !== null && (!projectId || m.projectId === projectId)) {
      const cell = cells.find((c) => c.id === m.cellId)!;
      const s = await (await this.d.stores.cell(cell)).instances.get(ref, opts);
      if (s) return s;
    }
    const found: Server[] = [];
    for (const c of cells) found.push(...await (await this.d.stores.cell(c)).instances.findByName(ref, projectId));
    if (found.length > 1) throw new ConflictError(`${found.length} servers are named ${JSON.stringify(ref)}.`, { code: 'AMBIGUOUS_NAME', hint: 'Use the server UUID.' });
    if (!found.length) throw new NotFoundError('Server', ref, { hint: 'Run `novalite server list`.' });
    return found[0];
  }

  async cellOf(s: Server): Promise<CellMapping> {
    return (await this.cells()).find((c) => c.uuid === s.cellUuid)!;
  }

  private validate(c: CreateServer): { metadata: Record<string, string>; min: number; max: number } {
    checkName('server', c.name, 'NAME');
    const metadata = parseProperties(c.properties);
    const min = c.min ?? 1;
    const max = c.max ?? min;
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min || max > 1000) {
      throw new InvalidInputError(`--min and --max must satisfy 1 ≤ min ≤ max ≤ 1000 (got ${min}, ${max}).`);
    }
    if (c.userData !== undefined && Buffer.byteLength(c.userData) > MAX_USER_DATA) {
      throw new InvalidInputError(`User data is ${Buffer.byteLength(c.userData)} bytes; the limit is ${MAX_USER_DATA}.`);
    }
    if (c.network !== undefined && !/^[A-Za-z0-9._-]{1,255}$/.test(c.network)) throw new InvalidInputError(`Invalid --network ${JSON.stringify(c.network)}.`);
    return { metadata, min, max };
  }

  private async existing(c: CreateServer, project: Project): Promise<Server[] | null> {
    const api = await this.d.stores.api();
    if (c.idempotencyKey) {
      const ms = await api.instanceMappings.byIdempotencyKey(project.id, c.idempotencyKey);
      if (ms.length) {
        const made = await Promise.all(ms.map((m) => this.get(m.instanceUuid, project.id, { includeDeleted: true })));
        if (made.every((s) => s.deletedAt)) {
          throw new ConflictError(`Idempotency key ${JSON.stringify(c.idempotencyKey)} already created server ${made[0].uuid}, which has been deleted.`, {
            code: 'IDEMPOTENCY_KEY_USED', hint: 'Use a new --idempotency-key for a new server.',
          });
        }
        return made;
      }
    }
    const scope = this.d.config.get<string>('DEFAULT', 'unique_server_name_scope');
    if (c.ifNotExists || scope) {
      const same: Server[] = [];
      for (const cell of await this.cells()) same.push(...await (await this.d.stores.cell(cell)).instances.findByName(c.name, scope === 'global' ? undefined : project.id));
      if (same.length && c.ifNotExists) return same;
      if (same.length) throw new ConflictError(`A server named ${JSON.stringify(c.name)} already exists${scope === 'global' ? '' : ' in this project'}.`, { code: 'SERVER_NAME_EXISTS', hint: 'Choose another name ([DEFAULT] unique_server_name_scope is set).' });
    }
    return null;
  }

  async create(c: CreateServer, onStep?: (step: string) => void): Promise<Server[]> {
    await this.d.recover();
    const { metadata, min, max } = this.validate(c);
    const project = await this.d.projects.resolve(c.project);
    const prior = await this.existing(c, project);
    if (prior) return prior;
    const flavor = await this.d.flavors.get(c.flavor);
    const image = c.image ? await this.d.images.get(c.image, project.id) : null;
    if (image && image.status !== 'active') throw new ConflictError(`Image ${image.id} is ${image.status}, not active.`);
    if (image && image.minRam > flavor.memoryMb) throw new InvalidInputError(`Flavor ${flavor.name} has ${flavor.memoryMb} MB RAM; image ${image.name} needs at least ${image.minRam} MB.`, { code: 'FLAVOR_MEMORY_TOO_SMALL' });
    if (image && flavor.rootGb > 0 && image.minDisk > flavor.rootGb) throw new InvalidInputError(`Flavor ${flavor.name} has a ${flavor.rootGb} GB disk; image ${image.name} needs at least ${image.minDisk} GB.`, { code: 'FLAVOR_DISK_TOO_SMALL' });
    const key = c.keyName ? await this.d.keypairs.get(c.keyName, c.userId) : null;
    const group = c.group ? await this.d.groups.get(c.group, project.id) : null;
    const projectLimits = await this.d.quotas.limits(project.id);
    const limits = await this.d.quotas.limits(project.id, c.userId);
    if (limits.metadata_items >= 0 && Object.keys(metadata).length > limits.metadata_items) {
      throw new NovaliteError('QUOTA_EXCEEDED', 'quota', `${Object.keys(metadata).length} metadata items exceed the quota of ${limits.metadata_items}.`, { hint: 'Use fewer --property flags.' });
    }
    const n = max;
    if (group && limits.server_group_members >= 0 && group.members.length + n > limits.server_group_members) {
      throw new NovaliteError('QUOTA_EXCEEDED', 'quota', `Quota exceeded for server_group_members: group ${group.name} has ${group.members.length} of ${limits.server_group_members}; ${n} more requested.`, { hint: 'Raise it with `novalite quota set --server-group-members N`.' });
    }
    const deltas = { instances: n, cores: n * flavor.vcpus, ram: n * flavor.memoryMb };
    onStep?.('quota');
    await this.d.quotas.consume(project.id, c.userId, deltas, { project: projectLimits, user: limits });
    const uuids = Array.from({ length: n }, () => randomUUID());
    const api = await this.d.stores.api();
    try {
      for (const [i, uuid] of uuids.entries()) {
        await api.instanceMappings.createPending({ instanceUuid: uuid, projectId: project.id, userId: c.userId, idempotencyKey: i === 0 ? c.idempotencyKey ?? null : null }, this.now());
      }
    } catch (e) {
      await this.d.quotas.release(project.id, c.userId, deltas);
      await api.instanceMappings.deletePending(uuids);
      const again = c.idempotencyKey ? await this.existing(c, project) : null;
      if (again) return again;
      throw e;
    }
    const input = { flavor, image: image ? { id: image.id, properties: image.properties } : null, availabilityZone: c.availabilityZone ?? null, hints: c.hints ?? {}, group, projectId: project.id, userId: c.userId, host: c.host };
    onStep?.('scheduling');
    let placements;
    try {
      placements = await this.d.scheduling.placeAndClaim(input, uuids, { minCount: min });
    } catch (e) {
      if (!(e instanceof NoValidHostError)) {
        await this.d.quotas.release(project.id, c.userId, deltas);
        await api.instanceMappings.deletePending(uuids);
        throw e;
      }
      return this.buryInCell0(c, project, flavor, image, key, metadata, uuids, e);
    }
    const unplaced = uuids.filter((u) => !placements.some((p) => p.consumerUuid === u));
    if (unplaced.length) {
      await this.d.quotas.release(project.id, c.userId, { instances: unplaced.length, cores: unplaced.length * flavor.vcpus, ram: unplaced.length * flavor.memoryMb });
      await api.instanceMappings.deletePending(unplaced);
    }
    const requestId = `req-${randomUUID()}`;
    const cells = await this.cells();
    const made: Array<{ server: Server; cell: CellMapping; actionId: number }> = [];
    for (const p of placements) {
      const cell = cells.find((x) => x.uuid === p.cellUuid)!;
      const r = await this.d.stores.cell(cell);
      const name = n > 1 ? `${c.name}-${made.length + 1}` : c.name;
      await r.instances.create(this.newServer(c, project, flavor, image, key, metadata, p.consumerUuid, name, {
        vmState: VmState.BUILDING, taskState: TaskState.SCHEDULING, host: p.host, node: p.nodename, az: c.availabilityZone ?? p.availabilityZone, index: made.length,
      }), this.now());
      if (c.tags?.length) await r.tags.set(p.consumerUuid, c.tags, this.now());
      await api.instanceMappings.setCell([p.consumerUuid], cell.id, this.now());
      if (group) await api.serverGroups.addMember(group.id, p.consumerUuid);
      const actionId = await r.actions.start({ instanceUuid: p.consumerUuid, action: 'create', requestId, userId: c.userId, projectId: project.id }, this.now());
      await r.actions.finishEvent(actionId, 'conductor_schedule_and_build_instances', 'Success', this.now());
      made.push({ server: (await r.instances.get(p.consumerUuid))!, cell, actionId });
    }
    onStep?.('spawning');
    const out: Server[] = [];
    for (const m of made) {
      const p = placements.find((x) => x.consumerUuid === m.server.uuid)!;
      out.push(await this.d.tasks.build(m.cell, m.server, { ...input, image: input.image, availabilityZone: input.availabilityZone, requestId }, p, m.actionId));
    }
    return out;
  }

  private newServer(c: CreateServer, project: Project, flavor: Flavor, image: Image | null, key: KeyPair | null, metadata: Record<string, string>, uuid: string, name: string,
    st: { vmState: string; taskState: string | null; host: string | null; node: string | null; az: string | null; index?: number }) {
    const sys: Record<string, string> = { network: c.network ?? 'auto' };
    if (c.reservationId) sys.reservation_id = c.reservationId;
    if (st.index !== undefined) sys.launch_index = String(st.index);
    for (const [k, v] of Object.entries(image?.properties ?? {})) sys[`image_${k}`] = String(v);
    return {
      uuid, name, description: c.description ?? null, hostname: c.hostname ?? (name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'server'),
      projectId: project.id, userId: c.userId, imageRef: image?.id ?? null,
      flavor: { id: flavor.id, flavorid: flavor.flavorid, name: flavor.name, vcpus: flavor.vcpus, memoryMb: flavor.memoryMb, rootGb: flavor.rootGb, ephemeralGb: flavor.ephemeralGb, swapMb: flavor.swapMb, extraSpecs: flavor.extraSpecs },
      vmState: st.vmState, taskState: st.taskState, powerState: PowerState.NOSTATE, host: st.host, node: st.node, availabilityZone: st.az,
      keyName: key?.name ?? null, keyData: key?.publicKey ?? null, userData: c.userData ?? null, configDrive: !!c.configDrive,
      metadata, systemMetadata: sys, idempotencyKey: c.idempotencyKey ?? null,
    };
  }

  /** Nova's cell0: servers that could not be scheduled, in ERROR with the reason as their fault. */
  private async buryInCell0(c: CreateServer, project: Project, flavor: Flavor, image: Image | null, key: KeyPair | null, metadata: Record<string, string>, uuids: string[], e: NoValidHostError): Promise<Server[]> {
    const cell0 = (await this.cells()).find((x) => x.uuid === CELL0_UUID);
    if (!cell0) throw e;
    const r = await this.d.stores.cell(cell0);
    const api = await this.d.stores.api();
    const out: Server[] = [];
    for (const [i, uuid] of uuids.entries()) {
      const name = uuids.length > 1 ? `${c.name}-${i + 1}` : c.name;
      await r.instances.create(this.newServer(c, project, flavor, image, key, metadata, uuid, name, { vmState: VmState.ERROR, taskState: null, host: null, node: null, az: c.availabilityZone ?? null, index: i }), this.now());
      if (c.tags?.length) await r.tags.set(uuid, c.tags, this.now());
      await r.instances.addFault(uuid, { code: 500, message: e.message, details: faultDetails(e.details) }, this.now());
      await api.instanceMappings.setCell([uuid], cell0.id, this.now());
      const actionId = await r.actions.start({ instanceUuid: uuid, action: 'create', requestId: `req-${randomUUID()}`, userId: c.userId, projectId: project.id }, this.now());
      await r.actions.finishEvent(actionId, 'conductor_schedule_and_build_instances', 'Error', this.now(), e.message);
      await r.actions.finish(actionId, this.now(), e.message);
      out.push((await r.instances.get(uuid))!);
    }
    return out;
  }

  /** Lists servers of every cell, merged in sort order, with marker paging across cells. */
  async list(q: ListServers): Promise<Server[]> {
    const projectId = q.allProjects ? undefined : (await this.d.projects.resolve(q.project ?? 'admin')).id;
    const status = q.status ? vmStatesForStatus(q.status) : null;
    if (q.status && !status) throw new InvalidInputError(`Unknown status ${JSON.stringify(q.status)}.`, { hint: 'Use ACTIVE, BUILD, SHUTOFF, ERROR, PAUSED, SUSPENDED, …' });
    let re: RegExp | null = null;
    if (q.name) {
      try { re = new RegExp(q.name); } catch { throw new InvalidInputError(`--name ${JSON.stringify(q.name)} is not a valid regular expression.`); }
    }
    const key = q.sortKey ?? 'created_at';
    const dir = q.sortDir ?? 'desc';
    let after: { value: string; uuid: string } | undefined;
    if (q.marker) {
      const m = await this.get(q.marker, projectId, { includeDeleted: q.deleted });
      const v = await (await this.d.stores.cell(await this.cellOf(m))).instances.sortValue(m.uuid, key);
      after = { value: v ?? '', uuid: m.uuid };
    }
    const limit = q.limit ?? 1000;
    if (!Number.isInteger(limit) || limit < 1) throw new InvalidInputError('--limit must be a positive integer.');
    const flavorId = q.flavor ? String((await this.d.flavors.get(q.flavor)).id) : undefined;
    const all: Server[] = [];
    for (const cell of await this.cells()) {
      const rows = await (await this.d.stores.cell(cell)).instances.list({
        projectId, host: q.host, vmStates: status?.vm, taskStates: status?.task, flavorId, imageRef: q.image,
        changesSince: q.changesSince ? isoTime(q.changesSince) : undefined, changesBefore: q.changesBefore ? isoTime(q.changesBefore) : undefined,
        includeDeleted: q.deleted || !!q.changesSince, sortKey: key, sortDir: dir, after, limit: re || q.filter ? undefined : limit,
      });
      const named = re ? rows.filter((s) => re!.test(s.name)) : rows;
      all.push(...(q.filter ? await q.filter(named) : named));
    }
    const col = (s: Server) => (key === 'display_name' ? s.name : key === 'updated_at' ? s.updatedAt ?? '' : s.createdAt);
    all.sort((a, b) => {
      const c = col(a) < col(b) ? -1 : col(a) > col(b) ? 1 : a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0;
      return dir === 'desc' ? -c : c;
    });
    return all.slice(0, limit);
  }

  async set(ref: string, projectId: string | undefined, patch: { name?: string; description?: string | null; hostname?: string; properties?: string[]; unsetProperties?: string[] }): Promise<Server> {
    const s = await this.get(ref, projectId);
    const r = await this.d.stores.cell(await this.cellOf(s));
    if (patch.name !== undefined) checkName('server', patch.name);
    if (patch.description !== undefined && patch.description !== null && patch.description.length > 255) throw new InvalidInputError('A description must be at most 255 characters.');
    if (patch.hostname !== undefined && !/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/.test(patch.hostname)) {
      throw new InvalidInputError(`Invalid host name ${JSON.stringify(patch.hostname)}: letters, digits and '-' (not first or last), at most 63.`);
    }
    const md = { ...parseProperties(patch.properties), ...Object.fromEntries((patch.unsetProperties ?? []).map((k) => [k, null])) } as Record<string, string | null>;
    const limit = (await this.d.quotas.limits(s.projectId)).metadata_items;
    const after = { ...s.metadata, ...md };
    const count = Object.values(after).filter((v) => v !== null).length;
    if (limit >= 0 && count > limit) throw new NovaliteError('QUOTA_EXCEEDED', 'quota', `${count} metadata items exceed the quota of ${limit}.`);
    if (patch.name !== undefined || patch.description !== undefined || patch.hostname !== undefined) {
      await r.instances.update(s.uuid, { name: patch.name, description: patch.description, hostname: patch.hostname }, this.now());
    }
    if (Object.keys(md).length) await r.instances.setMetadata(s.uuid, md, this.now());
    return (await r.instances.get(s.uuid))!;
  }

  async delete(ref: string, projectId: string | undefined, opts: { force?: boolean; userId: string }): Promise<Server> {
    await this.d.recover();
    const s = await this.get(ref, projectId);
    const cell = await this.cellOf(s);
    const r = await this.d.stores.cell(cell);
    if (s.locked) throw new ConflictError(`Server ${s.name} is locked${s.systemMetadata.locked_reason ? ` (${s.systemMetadata.locked_reason})` : ''}.`, { code: 'SERVER_LOCKED', hint: `Run \`novalite server unlock ${s.uuid}\` first.` });
    if (s.taskState === TaskState.DELETING && !opts.force) {
      throw new ConflictError(`Server ${s.name} is already being deleted.`, { code: 'INVALID_STATE', hint: 'Pass --force to delete it again.' });
    }
    if (!opts.force && this.d.softDelete) {
      const soft = await this.d.softDelete(s, opts.userId);
      if (soft) return soft;
    }
    const ok = await r.instances.update(s.uuid, { taskState: TaskState.DELETING }, this.now(), opts.force ? undefined : [null, TaskState.SCHEDULING, TaskState.SPAWNING, ...Object.values(TaskState)]);
    if (!ok) throw new ConflictError(`Server ${s.name} changed while it was being deleted; try again.`);
    await (await this.d.stores.api()).instanceMappings.queueForDelete(s.uuid, this.now());
    await (await this.d.stores.api()).serverGroups.removeMember(s.uuid);
    const actionId = await r.actions.start({ instanceUuid: s.uuid, action: 'delete', requestId: `req-${randomUUID()}`, userId: opts.userId, projectId: s.projectId }, this.now());
    await this.d.tasks.delete(cell, s, actionId);
    return { ...s, vmState: VmState.DELETED, taskState: null };
  }

  /** Recovery entry for commands that only read: takes over expired tasks first. */
  async recover(): Promise<number> { return this.d.recover(); }

  isCell0(s: Server): boolean { return isCell0({ uuid: s.cellUuid }); }
}
