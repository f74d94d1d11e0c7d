/**
 * What users attach to a server besides its name: tags (Nova's 2.26 server tags) and metadata,
 * changed under Nova's rules — only while the server is active, paused, suspended or stopped;
 * metadata also not while it is locked, and within the metadata_items quota.
 */
import { Clock, isoTime } from '../clock';
import { Stores } from '../db/stores';
import { ConflictError, InvalidInputError, InvalidStateError, NotFoundError, QuotaExceededError } from '../errors';
import { Server } from '../model/servers';
import { serverStatus, VmState } from '../model/states';
import type { QuotasService } from './quotas';
import type { ServersService } from './servers';

/** Nova's MAX_TAG_COUNT and tag length. */
export const MAX_TAGS = 50;
export const MAX_TAG_LENGTH = 60;

const EDITABLE: string[] = [VmState.ACTIVE, VmState.PAUSED, VmState.SUSPENDED, VmState.STOPPED];

export class ServerAttributesService {
  constructor(private readonly stores: Stores, private readonly clock: Clock, private readonly servers: ServersService,
    private readonly quotas: QuotasService) {}

  private now(): string { return isoTime(this.clock.now()); }

  private async repos(s: Server) { return this.stores.cell(await this.servers.cellOf(s)); }

  private static editable(s: Server, what: string): void {
    if (!EDITABLE.includes(s.vmState)) {
      throw new InvalidStateError(`Cannot ${what} of server ${s.name} while it is ${serverStatus(s.vmState, s.taskState)}; it needs to be active, paused, suspended or stopped.`, {
        details: { vm_state: s.vmState, task_state: s.taskState, needs: EDITABLE },
      });
    }
  }

  private static unlocked(s: Server): void {
    if (s.locked) {
      throw new ConflictError(`Server ${s.name} is locked${s.systemMetadata.locked_reason ? ` (${s.systemMetadata.locked_reason})` : ''}.`, {
        code: 'SERVER_LOCKED', hint: `Run \`novalite server unlock ${s.uuid}\` first.`,
      });
    }
  }

  private static checkTag(tag: string): void {
    if (typeof tag !== 'string' || tag.length < 1 || tag.length > MAX_TAG_LENGTH || /[,/]/.test(tag)) {
      throw new InvalidInputError(`Tag ${JSON.stringify(String(tag).slice(0, 80))} is invalid: it must be 1 to ${MAX_TAG_LENGTH} characters without '/' and ','.`);
    }
  }

  /** Tags of each server given (every server has an entry), one query per cell. */
  async tagsOf(servers: Server[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(servers.map((s) => [s.uuid, []]));
    const byCell = new Map<string, Server[]>();
    for (const s of servers) byCell.set(s.cellUuid, [...(byCell.get(s.cellUuid) ?? []), s]);
    for (const group of byCell.values()) {
      const found = await (await this.repos(group[0])).tags.list(group.map((s) => s.uuid));
      for (const [uuid, tags] of found) out.set(uuid, tags);
    }
    return out;
  }

  async tags(s: Server): Promise<string[]> {
    return (await this.tagsOf([s])).get(s.uuid) ?? [];
  }

  /** Replaces every tag (Nova's PUT /servers/{id}/tags). */
  async setTags(s: Server, tags: string[]): Promise<string[]> {
    ServerAttributesService.editable(s, 'change the tags');
    tags.forEach(ServerAttributesService.checkTag);
    if (new Set(tags).size > MAX_TAGS) throw new InvalidInputError(`A server has at most ${MAX_TAGS} tags; ${new Set(tags).size} were given.`);
    await (await this.repos(s)).tags.set(s.uuid, tags, this.now());
    return this.tags(s);
  }

  /** Adds one tag; false when the server had it already. */
  async addTag(s: Server, tag: string): Promise<boolean> {
    ServerAttributesService.editable(s, 'add a tag');
    ServerAttributesService.checkTag(tag);
    const have = await this.tags(s);
    if (have.includes(tag)) return false;
    if (have.length >= MAX_TAGS) throw new InvalidInputError(`The number of tags exceeded the per-server limit ${MAX_TAGS}.`, { code: 'TOO_MANY_TAGS' });
    return (await this.repos(s)).tags.add(s.uuid, tag, this.now());
  }

  async removeTag(s: Server, tag: string): Promise<void> {
    ServerAttributesService.editable(s, 'remove a tag');
    if (!(await (await this.repos(s)).tags.remove(s.uuid, tag))) throw new NotFoundError('Tag', tag, { hint: `Server ${s.uuid} has no such tag.` });
  }

  async clearTags(s: Server): Promise<void> {
    ServerAttributesService.editable(s, 'remove the tags');
    await (await this.repos(s)).tags.clear(s.uuid);
  }

  /**
   * Sets metadata items (`replace`: the whole set, dropping keys not given); returns the
   * server's metadata afterwards. Over the metadata_items quota is a QuotaExceededError.
   */
  async updateMetadata(s: Server, items: Record<string, string>, opts: { replace?: boolean; asPartOf?: 'rebuild' } = {}): Promise<Record<string, string>> {
    // A rebuild sets the metadata it was given as part of itself, after its own checks passed.
    if (!opts.asPartOf) {
      ServerAttributesService.unlocked(s);
      ServerAttributesService.editable(s, 'change the metadata');
    }
    const change: Record<string, string | null> = { ...items };
    if (opts.replace) for (const k of Object.keys(s.metadata)) if (!(k in items)) change[k] = null;
    const after = opts.replace ? { ...items } : { ...s.metadata, ...items };
    const limit = (await this.quotas.limits(s.projectId)).metadata_items;
    if (limit !== undefined && limit >= 0 && Object.keys(after).length > limit) {
      throw new QuotaExceededError(`Quota exceeded for metadata_items: ${Object.keys(after).length} items, the limit is ${limit}.`);
    }
    const r = await this.repos(s);
    if (Object.keys(change).length) await r.instances.setMetadata(s.uuid, change, this.now());
    return (await r.instances.get(s.uuid))?.metadata ?? after;
  }

  async deleteMetadata(s: Server, key: string): Promise<void> {
    if (!(key in s.metadata)) throw new NotFoundError('Metadata item', key, { hint: `Server ${s.uuid} has no such metadata key.` });
    ServerAttributesService.unlocked(s);
    ServerAttributesService.editable(s, 'change the metadata');
    await (await this.repos(s)).instances.setMetadata(s.uuid, { [key]: null }, this.now());
  }
}
