import { BaseCommand } from '../_base';
import { serverView, ServerView } from '../../lib/views/servers';
import { projectFlag, projectId, serverArg } from './_flags';
import { serverDetail } from './_table';

export default class ServerShow extends BaseCommand<typeof ServerShow> {
  static override description = 'Show a server by name or UUID: its states (OS-EXT-STS:*), host, flavor, properties, and the fault of an ERROR server. Exit 3 when unknown.';
  static override examples = ['<%= config.bin %> server show web1', '<%= config.bin %> server show 8e1c… --project demo --json'];
  static override args = { ...serverArg };
  static override flags = { ...projectFlag };

  private images = new Map<string, string>();

  protected async execute(): Promise<{ server: ServerView }> {
    await this.ctx.servers.recover();
    const project = await projectId(this.ctx, this.flags.project);
    const s = await this.ctx.serverInspect.refreshAddresses(await this.ctx.servers.get(this.args.server, project));
    if (s.imageRef && !this.jsonMode) {
      const image = await this.ctx.images.get(s.imageRef, project).catch(() => null);
      if (image?.name) this.images.set(image.id, image.name);
    }
    return { server: serverView(s) };
  }

  protected override renderHuman(r: { server: ServerView }): void {
    this.log(serverDetail(r.server, this.images));
  }
}
