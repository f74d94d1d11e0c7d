import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { dateFlag } from '../_flags';
import { serverView, ServerView } from '../../lib/views/servers';
import { serversTable } from './_table';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default class ServerList extends BaseCommand<typeof ServerList> {
  static override description = 'List servers of a project (or --all-projects) across every cell, newest first, with filters and marker paging.';
  static override examples = [
    '<%= config.bin %> server list',
    '<%= config.bin %> server list --status ERROR --all-projects --long',
    '<%= config.bin %> server list --name "^web-" --sort-key display_name --sort-dir asc --limit 20 --marker 8e1c… --json',
  ];
  static override flags = {
    name: Flags.string({ description: 'Only names matching this regular expression.' }),
    status: Flags.string({ description: 'Only servers with this status (ACTIVE, BUILD, SHUTOFF, ERROR, …).' }),
    host: Flags.string({ description: 'Only servers on this host.' }),
    flavor: Flags.string({ description: 'Only servers of this flavor (id or name).' }),
    image: Flags.string({ description: 'Only servers booted from this image (id or name).' }),
    project: Flags.string({ description: 'Project (name or id).', default: 'admin', exclusive: ['all-projects'] }),
    'all-projects': Flags.boolean({ description: 'Servers of every project.' }),
    'changes-since': dateFlag({ description: 'Only servers changed at or after this time (deleted ones included).' }),
    'changes-before': dateFlag({ description: 'Only servers changed at or before this time.' }),
    limit: Flags.integer({ description: 'At most this many servers.' }),
    marker: Flags.string({ description: 'Start after this server (UUID or name): the last one of the previous page.' }),
    'sort-key': Flags.string({ description: 'Sort by.', options: ['created_at', 'display_name', 'updated_at'] }),
    'sort-dir': Flags.string({ description: 'Sort direction.', options: ['asc', 'desc'] }),
    long: Flags.boolean({ description: 'Also host, availability zone, task state, power state and properties.' }),
    deleted: Flags.boolean({ description: 'Include deleted servers.' }),
  };

  private images = new Map<string, string>();

  protected async execute(): Promise<{ servers: ServerView[] }> {
    const f = this.flags;
    await this.ctx.servers.recover();
    const scope = f['all-projects'] ? undefined : (await this.ctx.projects.resolve(f.project)).id;
    const image = f.image && !UUID.test(f.image) ? (await this.ctx.images.get(f.image, scope)).id : f.image;
    const servers = await this.ctx.servers.list({
      project: scope, allProjects: f['all-projects'], name: f.name, status: f.status, host: f.host, flavor: f.flavor, image,
      changesSince: f['changes-since'], changesBefore: f['changes-before'], limit: f.limit, marker: f.marker,
      sortKey: f['sort-key'] as 'created_at' | undefined, sortDir: f['sort-dir'] as 'asc' | undefined, deleted: f.deleted,
    });
    if (!this.jsonMode && servers.some((s) => s.imageRef)) {
      for (const i of await this.ctx.images.list({ projectId: scope })) if (i.name) this.images.set(i.id, i.name);
    }
    return { servers: servers.map(serverView) };
  }

  protected override renderHuman(r: { servers: ServerView[] }): void {
    this.log(r.servers.length ? serversTable(r.servers, this.flags.long, this.images) : 'No servers. Create one with `novalite server create`.');
  }
}
