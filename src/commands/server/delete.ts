import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { CancelledError, NovaliteError } from '../../lib/errors';
import { serverView, ServerView } from '../../lib/views/servers';
import { checkTimeout, projectFlag, projectId, waitFlags } from './_flags';
import { ask } from './_prompt';

export default class ServerDelete extends BaseCommand<typeof ServerDelete> {
  static override description = [
    'Delete one or more servers: the domain and its disks, the host claim, the quota usage. Every server is looked up first, so an unknown',
    'one (exit 3) deletes nothing. Refused (exit 4) for a locked server or one already being deleted. Asks first on a terminal unless --yes.',
  ].join(' ');
  static override examples = ['<%= config.bin %> server delete web1', '<%= config.bin %> server delete web1 web2 --yes --wait --json'];
  static override strict = false;
  static override args = { server: Args.string({ description: 'Server name or UUID (several may follow).', required: true }) };
  static override flags = {
    ...projectFlag, ...waitFlags,
    force: Flags.boolean({ description: 'Delete even while another task runs on the server.' }),
  };

  protected async execute(): Promise<{ deleted: ServerView[] }> {
    const f = this.flags;
    if (f.wait) checkTimeout(f.timeout);
    const { argv } = await this.parse({ flags: ServerDelete.flags, baseFlags: ServerDelete.baseFlags, args: ServerDelete.args, strict: false });
    const project = await projectId(this.ctx, f.project);
    await this.ctx.servers.recover();
    const targets = [];
    for (const ref of new Set(argv as string[])) targets.push(await this.ctx.servers.get(ref, project));
    if (this.interactive && !(await ask.confirm({ message: `Delete ${targets.map((s) => `${s.name} (${s.uuid})`).join(', ')}?`, default: false }))) {
      throw new CancelledError();
    }
    const deleted: ServerView[] = [];
    const failed: Array<{ server: string; error: NovaliteError | Error }> = [];
    for (const s of targets) {
      try {
        const gone = await this.ctx.servers.delete(s.uuid, project, { force: f.force, userId: this.ctx.actor.userId });
        deleted.push(serverView(gone));
        // With [DEFAULT] reclaim_instance_interval set, a plain delete is a soft delete.
        const soft = gone.vmState === 'soft-delete';
        if (f.wait) await this.ctx.serverActions.wait(s.uuid, project, soft ? ['SOFT_DELETED', 'DELETED'] : ['DELETED'], f.timeout);
      } catch (e) {
        failed.push({ server: s.uuid, error: e as Error });
      }
    }
    if (failed.length) throw this.partial(deleted, failed, targets.length);
    return { deleted };
  }

  /** One error for the lot: the first failure's kind (so its exit code), every failure's message. */
  private partial(deleted: ServerView[], failed: Array<{ server: string; error: NovaliteError | Error }>, total: number): Error {
    const first = failed[0].error;
    if (total === 1) return first;
    if (!(first instanceof NovaliteError)) return first;
    return new NovaliteError(first.code, first.category, `${failed.length} of ${total} servers could not be deleted: ${failed.map((x) => x.error.message).join(' ')}`, {
      hint: first.hint, details: { deleted: deleted.map((d) => d.id), failed: failed.map((x) => ({ server: x.server, message: x.error.message })) },
    });
  }

  protected override renderHuman(r: { deleted: ServerView[] }): void {
    for (const s of r.deleted) this.log(`${s.status === 'SOFT_DELETED' ? 'Soft-deleted' : 'Deleted'} server ${s.name} (${s.id}).`);
  }
}
