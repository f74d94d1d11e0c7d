/**
 * Cell DB: servers (instances) with their metadata, system metadata, flavor snapshot and faults.
 * State changes are compare-and-swap on task_state (Nova's expected_task_state), so two
 * processes can never both start an action on one server.
 */
import type { Knex } from 'knex';
import { Fault, FlavorSnapshot, Server } from '../../model/servers';

type Row = Record<string, any>;

export interface NewServer {
  uuid: string; name: string; description: string | null; hostname: string | null; projectId: string; userId: string | null;
  imageRef: string | null; flavor: FlavorSnapshot; vmState: string; taskState: string | null; powerState: number;
  host: string | null; node: string | null; availabilityZone: string | null; keyName: string | null; keyData: string | null;
  userData: string | null; configDrive: boolean; metadata: Record<string, string>; systemMetadata: Record<string, string>;
  idempotencyKey: string | null;
}

export interface ServerPatch {
  name?: string; description?: string | null; hostname?: string | null; vmState?: string; taskState?: string | null; powerState?: number;
  host?: string | null; node?: string | null; availabilityZone?: string | null; locked?: boolean; lockedBy?: string | null;
  progress?: number | null; launchedAt?: string | null; terminatedAt?: string | null; imageRef?: string | null; flavor?: FlavorSnapshot;
}

export interface ListFilter {
  projectId?: string; host?: string; vmStates?: string[]; taskStates?: string[]; flavorId?: string; imageRef?: string;
  changesSince?: string; changesBefore?: string; includeDeleted?: boolean; uuids?: string[];
  limit?: number; sortKey?: 'created_at' | 'display_name' | 'updated_at'; sortDir?: 'asc' | 'desc';
  /** Paging across cells: rows strictly after this (sort value, uuid) in the sort order. */
  after?: { value: string; uuid: string };
}

const COLS: Record<keyof ServerPatch, string> = {
  name: 'display_name', description: 'display_description', hostname: 'hostname', vmState: 'vm_state', taskState: 'task_state',
  powerState: 'power_state', host: 'host', node: 'node', availabilityZone: 'availability_zone', locked: 'locked', lockedBy: 'locked_by',
  progress: 'progress', launchedAt: 'launched_at', terminatedAt: 'terminated_at', imageRef: 'image_ref', flavor: 'instance_type_id',
};

export class InstanceRepo {
  constructor(private readonly k: Knex, private readonly cellUuid: string) {}

  async create(s: NewServer, now: string): Promise<void> {
    await this.k.transaction(async (tx) => {
      await tx('instances').insert({
        uuid: s.uuid, display_name: s.name, display_description: s.description, hostname: s.hostname, project_id: s.projectId,
        user_id: s.userId, image_ref: s.imageRef, instance_type_id: String(s.flavor.id), vcpus: s.flavor.vcpus, memory_mb: s.flavor.memoryMb,
        root_gb: s.flavor.rootGb, ephemeral_gb: s.flavor.ephemeralGb, swap: s.flavor.swapMb, vm_state: s.vmState, task_state: s.taskState,
        power_state: s.powerState, host: s.host, node: s.node, launched_on: s.host, availability_zone: s.availabilityZone, locked: false,
        key_name: s.keyName, key_data: s.keyData, user_data: s.userData, config_drive: s.configDrive ? 'True' : '',
        idempotency_key: s.idempotencyKey, created_at: now, updated_at: now,
      });
      await tx('instance_extra').insert({ instance_uuid: s.uuid, flavor: JSON.stringify({ cur: s.flavor }), created_at: now });
      await tx('instance_info_caches').insert({ instance_uuid: s.uuid, network_info: '[]', created_at: now });
      const md = Object.entries(s.metadata).map(([key, value]) => ({ instance_uuid: s.uuid, key, value, created_at: now }));
      if (md.length) await tx('instance_metadata').insert(md);
      const sm = Object.entries(s.systemMetadata).map(([key, value]) => ({ instance_uuid: s.uuid, key, value, created_at: now }));
      if (sm.length) await tx('instance_system_metadata').insert(sm);
    });
  }

  private async hydrate(rows: Row[]): Promise<Server[]> {
    if (rows.length === 0) return [];
    const uuids = rows.map((r) => r.uuid);
    const [md, sm, extra, faults] = await Promise.all([
      this.k('instance_metadata').whereIn('instance_uuid', uuids).whereNull('deleted_at'),
      this.k('instance_system_metadata').whereIn('instance_uuid', uuids).whereNull('deleted_at'),
      this.k('instance_extra').whereIn('instance_uuid', uuids).select('instance_uuid', 'flavor'),
      this.k('instance_faults').whereIn('instance_uuid', uuids).orderBy('id', 'desc'),
    ]);
    const group = (list: Row[]) => {
      const m = new Map<string, Record<string, string>>();
      for (const r of list) m.set(r.instance_uuid, { ...(m.get(r.instance_uuid) ?? {}), [r.key]: r.value });
      return m;
    };
    const mdBy = group(md);
    const smBy = group(sm);
    const flavorBy = new Map(extra.map((e: Row) => [e.instance_uuid, JSON.parse(e.flavor ?? '{}').cur]));
    const faultBy = new Map<string, Fault>();
    for (const f of faults) {
      if (!faultBy.has(f.instance_uuid)) faultBy.set(f.instance_uuid, { code: Number(f.code), message: f.message, details: f.details ?? null, createdAt: f.created_at });
    }
    return rows.map((r) => ({
      uuid: r.uuid, name: r.display_name, description: r.display_description ?? null, hostname: r.hostname ?? null,
      projectId: r.project_id, userId: r.user_id ?? null, imageRef: r.image_ref ?? null, flavor: flavorBy.get(r.uuid) as FlavorSnapshot,
      vmState: r.vm_state, taskState: r.task_state ?? null, powerState: Number(r.power_state), host: r.host ?? null, node: r.node ?? null,
      availabilityZone: r.availability_zone ?? null, locked: !!r.locked, lockedBy: r.locked_by ?? null, keyName: r.key_name ?? null,
      keyData: r.key_data ?? null, userData: r.user_data ?? null, configDrive: !!r.config_drive, progress: r.progress == null ? null : Number(r.progress),
      launchedAt: r.launched_at ?? null, terminatedAt: r.terminated_at ?? null, createdAt: r.created_at, updatedAt: r.updated_at ?? null,
      deletedAt: r.deleted_at ?? null, metadata: mdBy.get(r.uuid) ?? {}, systemMetadata: smBy.get(r.uuid) ?? {}, cellUuid: this.cellUuid,
      fault: faultBy.get(r.uuid) ?? null,
    }));
  }

  async get(uuid: string, opts: { includeDeleted?: boolean } = {}): Promise<Server | null> {
    const q = this.k('instances').where({ uuid });
    if (!opts.includeDeleted) q.whereNull('deleted_at');
    const r = await q.first();
    return r ? (await this.hydrate([r]))[0] : null;
  }

  async list(f: ListFilter): Promise<Server[]> {
    const q = this.k('instances');
    if (!f.includeDeleted) q.whereNull('deleted_at');
    if (f.projectId) q.where({ project_id: f.projectId });
    if (f.host) q.where({ host: f.host });
    if (f.vmStates) q.whereIn('vm_state', f.vmStates);
    if (f.taskStates) q.whereIn('task_state', f.taskStates);
    if (f.flavorId) q.where({ instance_type_id: f.flavorId });
    if (f.imageRef) q.where({ image_ref: f.imageRef });
    if (f.uuids) q.whereIn('uuid', f.uuids);
    if (f.changesSince) q.where('updated_at', '>=', f.changesSince);
    if (f.changesBefore) q.where('updated_at', '<=', f.changesBefore);
    const key = f.sortKey ?? 'created_at';
    const dir = f.sortDir ?? 'desc';
    const a = f.after;
    if (a) {
      const op = dir === 'desc' ? '<' : '>';
      q.where((w) => w.where(key, op, a.value).orWhere((w2) => w2.where(key, a.value).andWhere('uuid', op, a.uuid)));
    }
    q.orderBy([{ column: key, order: dir }, { column: 'uuid', order: dir }]);
    if (f.limit) q.limit(f.limit);
    return this.hydrate(await q);
  }

  /**
   * Applies `patch` only while task_state is one of `expectedTaskStates` (when given) and the
   * server is not deleted; returns whether it did. This is the lock against concurrent actions.
   */
  async update(uuid: string, patch: ServerPatch, now: string, expectedTaskStates?: Array<string | null>): Promise<boolean> {
    const row: Row = { updated_at: now };
    for (const [k, v] of Object.entries(patch) as Array<[keyof ServerPatch, unknown]>) {
      if (k === 'flavor') continue;
      row[COLS[k]] = v;
    }
    const run = async (k: Knex) => {
      const q = k('instances').where({ uuid }).whereNull('deleted_at');
      if (expectedTaskStates) {
        const nonNull = expectedTaskStates.filter((t): t is string => t !== null);
        q.where((w) => {
          if (nonNull.length) w.whereIn('task_state', nonNull);
          if (expectedTaskStates.includes(null)) w.orWhereNull('task_state');
        });
      }
      const n = await q.update(row);
      if (n === 1 && patch.flavor) {
        const f = patch.flavor;
        await k('instances').where({ uuid }).update({ instance_type_id: String(f.id), vcpus: f.vcpus, memory_mb: f.memoryMb, root_gb: f.rootGb, ephemeral_gb: f.ephemeralGb, swap: f.swapMb });
        await k('instance_extra').where({ instance_uuid: uuid }).update({ flavor: JSON.stringify({ cur: f }), updated_at: now });
      }
      return n === 1;
    };
    // One statement needs no transaction (the common case, and a hot one); a flavor change does.
    return patch.flavor ? this.k.transaction((tx) => run(tx)) : run(this.k);
  }

  async setMetadata(uuid: string, md: Record<string, string | null>, now: string, system = false): Promise<void> {
    const table = system ? 'instance_system_metadata' : 'instance_metadata';
    await this.k.transaction(async (tx) => {
      for (const [key, value] of Object.entries(md)) {
        await tx(table).where({ instance_uuid: uuid, key }).whereNull('deleted_at').delete();
        if (value !== null) await tx(table).insert({ instance_uuid: uuid, key, value, created_at: now });
      }
      await tx('instances').where({ uuid }).update({ updated_at: now });
    });
  }

  async addFault(uuid: string, fault: { code: number; message: string; details?: string | null; host?: string | null }, now: string): Promise<void> {
    await this.k('instance_faults').insert({ instance_uuid: uuid, code: fault.code, message: fault.message.slice(0, 60000), details: fault.details ?? null, host: fault.host ?? null, created_at: now });
  }

  /** Soft delete: the row stays (vm_state deleted, deleted_at set) until archived. */
  async softDelete(uuid: string, now: string): Promise<void> {
    await this.k.transaction(async (tx) => {
      await tx('instances').where({ uuid }).update({ vm_state: 'deleted', task_state: null, power_state: 0, terminated_at: now, deleted_at: now, updated_at: now });
      for (const t of ['instance_metadata', 'instance_system_metadata', 'instance_info_caches', 'instance_extra', 'block_device_mapping']) {
        await tx(t).where({ instance_uuid: uuid }).whereNull('deleted_at').update({ deleted_at: now });
      }
    });
  }

  async countByProject(projectId: string): Promise<{ instances: number; cores: number; ram: number }> {
    const [r] = await this.k('instances').where({ project_id: projectId }).whereNull('deleted_at').count({ n: '*' }).sum({ c: 'vcpus', m: 'memory_mb' });
    return { instances: Number(r.n), cores: Number(r.c ?? 0), ram: Number(r.m ?? 0) };
  }

  /** The raw sort value of a server, to page after it in another cell. */
  async sortValue(uuid: string, key: string): Promise<string | null> {
    const r = await this.k('instances').where({ uuid }).first(key);
    return r ? String(r[key]) : null;
  }

  async findByName(name: string, projectId?: string): Promise<Server[]> {
    const q = this.k('instances').where({ display_name: name }).whereNull('deleted_at');
    if (projectId) q.where({ project_id: projectId });
    return this.hydrate(await q);
  }
}
