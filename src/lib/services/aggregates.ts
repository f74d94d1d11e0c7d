/** Host aggregates and availability zones (an AZ is an aggregate's `availability_zone` metadata). */
import { randomUUID } from 'node:crypto';
import { Clock, isoTime } from '../clock';
import { Config } from '../config';
import { Stores } from '../db/stores';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors';
import { Aggregate } from '../model/compute';
import { checkName } from './validate';

export class AggregatesService {
  constructor(private readonly stores: Stores, private readonly config: Config, private readonly clock: Clock) {}

  private now(): string { return isoTime(this.clock.now()); }

  async list(): Promise<Aggregate[]> { return (await this.stores.api()).aggregates.list(); }

  async get(ref: string): Promise<Aggregate> {
    const a = await (await this.stores.api()).aggregates.find(ref);
    if (!a) throw new NotFoundError('Aggregate', ref, { hint: 'Run `novalite aggregate list`.' });
    return a;
  }

  async create(name: string, opts: { zone?: string; properties?: Record<string, string> } = {}): Promise<Aggregate> {
    checkName('aggregate', name);
    const repo = (await this.stores.api()).aggregates;
    if (await repo.find(name)) throw new ConflictError(`An aggregate named ${JSON.stringify(name)} already exists.`, { code: 'AGGREGATE_EXISTS' });
    const metadata = { ...(opts.properties ?? {}) };
    if (opts.zone !== undefined) metadata.availability_zone = checkName('availability zone', opts.zone, '--zone');
    return repo.create({ uuid: randomUUID(), name, metadata }, this.now());
  }

  async set(ref: string, patch: { name?: string; zone?: string; properties?: Record<string, string> }): Promise<Aggregate> {
    const a = await this.get(ref);
    const repo = (await this.stores.api()).aggregates;
    if (patch.name !== undefined && patch.name !== a.name) {
      checkName('aggregate', patch.name);
      if (await repo.find(patch.name)) throw new ConflictError(`An aggregate named ${JSON.stringify(patch.name)} already exists.`, { code: 'AGGREGATE_EXISTS' });
      await repo.rename(a.id, patch.name, this.now());
    }
    const md: Record<string, string> = { ...(patch.properties ?? {}) };
    if (patch.zone !== undefined) md.availability_zone = checkName('availability zone', patch.zone, '--zone');
    if (md.availability_zone !== undefined) await this.checkZoneChange(a, md.availability_zone);
    if (Object.keys(md).length) await repo.setMetadata(a.id, md, this.now());
    return this.get(a.uuid);
  }

  async unset(ref: string, keys: string[]): Promise<Aggregate> {
    const a = await this.get(ref);
    const missing = keys.filter((k) => !(k in a.metadata));
    if (missing.length) throw new NotFoundError('Aggregate property', missing.join(', '));
    await (await this.stores.api()).aggregates.setMetadata(a.id, Object.fromEntries(keys.map((k) => [k, null])), this.now());
    return this.get(a.uuid);
  }

  /**
   * Sets and removes metadata keys at once (a null value removes its key; a missing key is no
   * error), as Nova's aggregate set_metadata does; a new availability zone is checked like `set`.
   */
  async updateMetadata(ref: string, md: Record<string, string | null>): Promise<Aggregate> {
    const a = await this.get(ref);
    const zone = md.availability_zone;
    if (typeof zone === 'string') await this.checkZoneChange(a, checkName('availability zone', zone, 'availability_zone'));
    if (Object.keys(md).length) await (await this.stores.api()).aggregates.setMetadata(a.id, md, this.now());
    return this.get(a.uuid);
  }

  /** Nova refuses to put a host in two different AZs; so do we. */
  private async checkZoneChange(a: Aggregate, zone: string): Promise<void> {
    const repo = (await this.stores.api()).aggregates;
    for (const host of a.hosts) {
      const other = (await repo.forHost(host)).find((x) => x.id !== a.id && x.availabilityZone && x.availabilityZone !== zone);
      if (other) {
        throw new ConflictError(`Host ${host} is already in availability zone ${other.availabilityZone} (aggregate ${other.name}).`, {
          code: 'AZ_CONFLICT', hint: 'A host can be in only one availability zone.',
        });
      }
    }
  }

  async addHost(ref: string, host: string): Promise<Aggregate> {
    const a = await this.get(ref);
    const api = await this.stores.api();
    if (!(await api.hostMappings.byHost(host))) throw new NotFoundError('Host', host, { hint: 'Run `novalite host list`.' });
    if (a.hosts.includes(host)) throw new ConflictError(`Host ${host} is already in aggregate ${a.name}.`, { code: 'HOST_IN_AGGREGATE' });
    if (a.availabilityZone) {
      const other = (await api.aggregates.forHost(host)).find((x) => x.availabilityZone && x.availabilityZone !== a.availabilityZone);
      if (other) throw new ConflictError(`Host ${host} is already in availability zone ${other.availabilityZone}.`, { code: 'AZ_CONFLICT', hint: 'A host can be in only one availability zone.' });
    }
    await api.aggregates.addHost(a.id, host);
    return this.get(a.uuid);
  }

  async removeHost(ref: string, host: string): Promise<Aggregate> {
    const a = await this.get(ref);
    if (!(await (await this.stores.api()).aggregates.removeHost(a.id, host))) {
      throw new NotFoundError('Host in aggregate', host);
    }
    return this.get(a.uuid);
  }

  async delete(ref: string): Promise<Aggregate> {
    const a = await this.get(ref);
    if (a.hosts.length) throw new ConflictError(`Aggregate ${a.name} still has ${a.hosts.length} host(s).`, { code: 'AGGREGATE_NOT_EMPTY', hint: 'Remove its hosts first (aggregate remove-host).' });
    await (await this.stores.api()).aggregates.delete(a.id);
    return a;
  }

  /** The AZ of a host: from its aggregates, else [DEFAULT] default_availability_zone. */
  zoneOf(host: string, aggregates: Aggregate[]): string {
    const a = aggregates.find((x) => x.availabilityZone && x.hosts.includes(host));
    return a?.availabilityZone ?? this.config.get<string>('DEFAULT', 'default_availability_zone');
  }

  /** Every AZ with its hosts (hosts from host mappings; empty AZs are listed too). */
  async zones(): Promise<Array<{ name: string; hosts: string[]; available: boolean }>> {
    const api = await this.stores.api();
    const aggs = await api.aggregates.list();
    const hosts = (await api.hostMappings.list()).map((h) => h.host);
    const zones = new Map<string, string[]>();
    for (const a of aggs) if (a.availabilityZone && !zones.has(a.availabilityZone)) zones.set(a.availabilityZone, []);
    for (const h of hosts) {
      const z = this.zoneOf(h, aggs);
      zones.set(z, [...(zones.get(z) ?? []), h]);
    }
    return [...zones.entries()].map(([name, hs]) => ({ name, hosts: hs.sort(), available: hs.length > 0 }))
      .sort((x, y) => x.name.localeCompare(y.name));
  }

  /** Used by `host add --az`: the AZ's aggregate, created when missing. */
  async ensureZoneAggregate(zone: string): Promise<Aggregate> {
    const all = await this.list();
    const found = all.find((a) => a.availabilityZone === zone) ?? all.find((a) => a.name === zone);
    if (found) {
      if (found.availabilityZone !== zone) throw new InvalidInputError(`Aggregate ${zone} exists but is not availability zone ${zone}.`);
      return found;
    }
    return this.create(zone, { zone });
  }
}
