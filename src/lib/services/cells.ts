/**
 * Cells v2 administration (nova-manage cell_v2): mapping cell0 and cells, host discovery,
 * host and instance mappings. The API database holds the mappings; each cell its own data.
 */
import { randomUUID } from 'node:crypto';
import { Clock, isoTime } from '../clock';
import { deriveCell0Url, parseDbUrl } from '../db/url';
import { Stores } from '../db/stores';
import { ConflictError, InvalidInputError, NotFoundError, NovaliteError } from '../errors';
import { CELL0_UUID, CellMapping, HostMapping, isCell0 } from '../model/cells';

export interface DiscoverResult { cell: CellMapping; hosts: string[] }

export class CellsService {
  constructor(private readonly stores: Stores, private readonly clock: Clock) {}

  private now(): string { return isoTime(this.clock.now()); }

  async list(): Promise<CellMapping[]> {
    return (await this.stores.api()).cells.list();
  }

  /** Finds a cell by UUID or name; NotFound otherwise. */
  async get(ref: string): Promise<CellMapping> {
    const api = await this.stores.api();
    const c = (await api.cells.byUuid(ref)) ?? (await api.cells.byName(ref));
    if (!c) throw new NotFoundError('Cell', ref, { hint: 'Run `novalite cell-v2 list-cells` to see the cells.' });
    return c;
  }

  async mapCell0(url?: string): Promise<{ cell: CellMapping; created: boolean }> {
    const api = await this.stores.api();
    const existing = await api.cells.byUuid(CELL0_UUID);
    if (existing) return { cell: existing, created: false };
    const conn = url ?? deriveCell0Url(this.stores.mainCellUrl(), '[database] connection');
    parseDbUrl(conn, '--database-connection');
    const cell = await api.cells.create({
      uuid: CELL0_UUID, name: 'cell0', databaseConnection: conn, transportUrl: null, disabled: false, createdAt: this.now(),
    });
    return { cell, created: true };
  }

  async create(opts: { name: string; databaseConnection: string; disabled?: boolean; transportUrl?: string }): Promise<CellMapping> {
    if (!opts.name || opts.name.length > 255) {
      throw new InvalidInputError('A cell name must be 1 to 255 characters long.', { hint: 'Pass --name NAME.' });
    }
    parseDbUrl(opts.databaseConnection, '--database-connection');
    const api = await this.stores.api();
    if (await api.cells.byName(opts.name)) {
      throw new ConflictError(`A cell named ${JSON.stringify(opts.name)} already exists.`, {
        code: 'CELL_EXISTS', hint: 'Choose another --name, or use update-cell to change it.',
      });
    }
    const same = (await api.cells.list()).find((c) => c.databaseConnection === opts.databaseConnection);
    if (same) {
      throw new ConflictError(`Cell ${same.name ?? same.uuid} already uses that database connection.`, {
        code: 'CELL_EXISTS', hint: 'Every cell needs its own database.',
      });
    }
    await this.stores.probe(opts.databaseConnection, '--database-connection');
    return api.cells.create({
      uuid: randomUUID(), name: opts.name, databaseConnection: opts.databaseConnection,
      transportUrl: opts.transportUrl ?? null, disabled: !!opts.disabled, createdAt: this.now(),
    });
  }

  /** cell0 plus `cell1` on [database] connection, then host discovery — Nova's simple_cell_setup. */
  async simpleSetup(): Promise<{ cells: CellMapping[]; created: string[]; discovered: DiscoverResult[] }> {
    const created: string[] = [];
    const c0 = await this.mapCell0();
    if (c0.created) created.push('cell0');
    const api = await this.stores.api();
    const others = (await api.cells.list()).filter((c) => !isCell0(c));
    if (others.length === 0) {
      await this.create({ name: 'cell1', databaseConnection: this.stores.mainCellUrl() });
      created.push('cell1');
    }
    const discovered = await this.discoverHosts({});
    return { cells: await api.cells.list(), created, discovered };
  }

  async update(ref: string, patch: { name?: string; databaseConnection?: string; disabled?: boolean }): Promise<CellMapping> {
    const cell = await this.get(ref);
    const api = await this.stores.api();
    if (isCell0(cell) && patch.disabled) {
      throw new ConflictError('cell0 cannot be disabled: it holds the servers that could not be scheduled.', { hint: 'Disable a regular cell instead.' });
    }
    if (patch.name !== undefined && patch.name !== cell.name && (await api.cells.byName(patch.name))) {
      throw new ConflictError(`A cell named ${JSON.stringify(patch.name)} already exists.`, { code: 'CELL_EXISTS' });
    }
    if (patch.databaseConnection !== undefined) {
      parseDbUrl(patch.databaseConnection, '--database-connection');
      await this.stores.probe(patch.databaseConnection, '--database-connection');
    }
    await api.cells.update(cell.uuid, patch, this.now());
    return (await api.cells.byUuid(cell.uuid))!;
  }

  async delete(ref: string, force = false): Promise<CellMapping> {
    const cell = await this.get(ref);
    const api = await this.stores.api();
    const hosts = await api.hostMappings.count(cell.id);
    const instances = await api.instanceMappings.count(cell.id);
    if ((hosts || instances) && !force) {
      throw new ConflictError(`Cell ${cell.name ?? cell.uuid} still has ${hosts} host(s) and ${instances} instance mapping(s).`, {
        code: 'CELL_IN_USE', hint: 'Delete its hosts first (cell-v2 delete-host), or pass --force to remove the mappings too.',
        details: { hosts, instances },
      });
    }
    if (force && instances) {
      const live = await (await this.stores.cell(cell)).instancesAdmin.countLive().catch(() => 0);
      if (live) {
        throw new ConflictError(`Cell ${cell.name ?? cell.uuid} still has ${live} live server(s); --force does not delete servers.`, {
          code: 'CELL_IN_USE', hint: 'Delete the servers first.',
        });
      }
    }
    await api.cells.delete(cell.id);
    return cell;
  }

  /** Maps compute hosts that are registered in a cell but not yet in the API database. */
  async discoverHosts(opts: { cellRef?: string; strict?: boolean }): Promise<DiscoverResult[]> {
    const api = await this.stores.api();
    const cells = opts.cellRef ? [await this.get(opts.cellRef)] : (await api.cells.list()).filter((c) => !isCell0(c));
    const out: DiscoverResult[] = [];
    for (const cell of cells) {
      const repos = await this.stores.cell(cell);
      const nodes = await repos.computeNodes.unmapped();
      const mapped = await api.hostMappings.mapHosts(cell.id, nodes.map((n) => n.host), this.now());
      const conflicting = nodes.filter((n) => !mapped.includes(n.host));
      for (const n of conflicting) {
        const m = await api.hostMappings.byHost(n.host);
        if (m && m.cellId !== cell.id) {
          throw new ConflictError(`Host ${n.host} of cell ${cell.name} is already mapped to another cell.`, {
            code: 'HOST_MAPPED_ELSEWHERE', hint: 'Remove it from one cell (cell-v2 delete-host) first.',
          });
        }
      }
      await repos.computeNodes.markMapped(nodes.map((n) => n.id));
      out.push({ cell, hosts: mapped });
    }
    if (opts.strict && out.every((r) => r.hosts.length === 0)) {
      throw new NovaliteError('NO_HOSTS_DISCOVERED', 'not_found', 'No new hosts were found to map.', {
        hint: 'Register compute hosts first (novalite host add), then discover again.',
      });
    }
    return out;
  }

  async listHosts(cellRef?: string): Promise<Array<HostMapping & { cellName: string | null; cellUuid: string }>> {
    const api = await this.stores.api();
    const cells = await api.cells.list();
    const only = cellRef ? await this.get(cellRef) : null;
    const rows = await api.hostMappings.list(only?.id);
    return rows.map((h) => {
      const c = cells.find((x) => x.id === h.cellId)!;
      return { ...h, cellName: c.name, cellUuid: c.uuid };
    });
  }

  async deleteHost(cellRef: string, host: string): Promise<void> {
    const cell = await this.get(cellRef);
    const api = await this.stores.api();
    const m = await api.hostMappings.byHost(host);
    if (!m || m.cellId !== cell.id) {
      throw new NotFoundError('Host mapping', host, { hint: `Run \`novalite cell-v2 list-hosts --cell-uuid ${cell.uuid}\`.` });
    }
    const live = await (await this.stores.cell(cell)).instancesAdmin.countLive(host);
    if (live) {
      throw new ConflictError(`Host ${host} still has ${live} server(s).`, {
        code: 'HOST_IN_USE', hint: 'Delete or migrate its servers first.',
      });
    }
    await api.hostMappings.delete(cell.id, host);
  }

  /**
   * Creates instance mappings for servers of a cell that have none. Each run rescans the
   * cell and skips mapped servers, so it is resumable without a stored marker.
   */
  async mapInstances(cellRef: string, maxCount = 50): Promise<{ mapped: number; remaining: boolean }> {
    if (!Number.isInteger(maxCount) || maxCount < 1) {
      throw new InvalidInputError('--max-count must be a positive integer.');
    }
    const cell = await this.get(cellRef);
    const api = await this.stores.api();
    const repos = await this.stores.cell(cell);
    let after = 0;
    let mapped = 0;
    for (;;) {
      const page = await repos.instancesAdmin.page(after, 500);
      if (page.length === 0) return { mapped, remaining: false };
      after = page[page.length - 1].id;
      const have = await api.instanceMappings.existing(page.map((p) => p.uuid));
      const todo = page.filter((p) => !have.has(p.uuid)).slice(0, maxCount - mapped);
      await api.instanceMappings.createMany(todo.map((p) => ({ instanceUuid: p.uuid, cellId: cell.id, projectId: p.projectId, userId: p.userId })), this.now());
      mapped += todo.length;
      if (mapped >= maxCount) return { mapped, remaining: true };
    }
  }

  async verifyInstance(uuid: string): Promise<{ uuid: string; cell: CellMapping }> {
    const api = await this.stores.api();
    const m = await api.instanceMappings.byInstance(uuid);
    if (!m) throw new NovaliteError('INSTANCE_NOT_MAPPED', 'not_found', `Instance ${uuid} is not mapped to a cell.`, { hint: 'Run `novalite cell-v2 map-instances`.' });
    const cell = (await api.cells.list()).find((c) => c.id === m.cellId);
    if (!cell) throw new NovaliteError('INSTANCE_NOT_IN_CELL', 'not_found', `Instance ${uuid} has a mapping but no cell yet (it may still be building).`);
    const inst = await (await this.stores.cell(cell)).instancesAdmin.byUuid(uuid);
    if (!inst || inst.deleted) throw new NovaliteError('INSTANCE_DELETED', 'not_found', `Instance ${uuid} is mapped to cell ${cell.name} but is deleted there.`);
    return { uuid, cell };
  }
}
