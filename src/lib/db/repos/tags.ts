/**
 * Cell DB: server tags (Nova's `tags` table, microversion 2.26). A tag is a row per (server,
 * tag); removing one deletes the row (the unique key would refuse the same tag again after a
 * soft delete). A deleted server's tags stay until `db archive-deleted-rows` moves them.
 */
import type { Knex } from 'knex';

type Row = Record<string, any>;

export class TagRepo {
  constructor(private readonly k: Knex) {}

  /** Tags of each server named (in the order they were added); servers without tags are absent. */
  async list(resourceIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (!resourceIds.length) return out;
    const rows: Row[] = await this.k('tags').whereIn('resource_id', resourceIds).whereNull('deleted_at').orderBy('id');
    for (const r of rows) out.set(r.resource_id, [...(out.get(r.resource_id) ?? []), r.tag]);
    return out;
  }

  /** Replaces a server's tags (duplicates in `tags` count once). */
  async set(resourceId: string, tags: string[], now: string): Promise<void> {
    await this.k.transaction(async (tx) => {
      await tx('tags').where({ resource_id: resourceId }).delete();
      const unique = [...new Set(tags)];
      if (unique.length) await tx('tags').insert(unique.map((tag) => ({ resource_id: resourceId, tag, created_at: now })));
    });
  }

  /** Adds one tag; false when the server has it already. */
  async add(resourceId: string, tag: string, now: string): Promise<boolean> {
    if (await this.k('tags').where({ resource_id: resourceId, tag }).first()) return false;
    try {
      await this.k('tags').insert({ resource_id: resourceId, tag, created_at: now });
      return true;
    } catch (e) {
      // Two requests adding the same tag at once: the unique key lets one in; the other has it too.
      if (await this.k('tags').where({ resource_id: resourceId, tag }).first()) return false;
      throw e;
    }
  }

  /** Removes one tag; false when the server does not have it. */
  async remove(resourceId: string, tag: string): Promise<boolean> {
    return (await this.k('tags').where({ resource_id: resourceId, tag }).delete()) > 0;
  }

  async clear(resourceId: string): Promise<void> {
    await this.k('tags').where({ resource_id: resourceId }).delete();
  }
}
