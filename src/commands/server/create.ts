import { Args } from '@oclif/core';
import { BaseCommand } from '../_base';
import { runSteps } from '../_progress';
import { colour } from '../_render';
import type { CreateServer } from '../../lib/services/servers';
import type { Explanation } from '../../lib/services/scheduling';
import { serverView, ServerView } from '../../lib/views/servers';
import { BuildProgress, imageNames, waitActive, withDeadline } from './_build';
import { buildTimeout, createFlags, dryRunInput, hintsOf, promptMissing, readUserData } from './_create';
import { checkTimeout, projectFlag, projectId, waitFlags } from './_flags';
import { explanationText, serverDetail, serversTable } from './_table';

type Result = { server: ServerView } | { servers: ServerView[] } | Explanation;

export default class ServerCreate extends BaseCommand<typeof ServerCreate> {
  static override description = [
    'Create a server (or --min/--max servers): check quota, schedule and claim a host, spawn. A server no host can take ends in ERROR',
    'with the explanation as its fault; --wait turns that into exit 5 (6 for a host failure) and a timeout into exit 8.',
    'On a terminal a missing --flavor or --image is asked for; otherwise a missing --flavor is exit 2.',
  ].join(' ');
  static override examples = [
    '<%= config.bin %> server create web1',
    '<%= config.bin %> server create ci-42 --flavor m1.small --image cirros --wait --timeout 300 --idempotency-key ci-42 --json',
    '<%= config.bin %> server create db --flavor m1.large --image debian --host compute-3 --property role=db --dry-run',
  ];
  static override args = { name: Args.string({ description: 'Server name (1 to 255 characters).', required: true }) };
  static override flags = { ...createFlags, ...projectFlag, ...waitFlags };

  private pending?: Promise<unknown>;
  private images = new Map<string, string>();

  protected async execute(): Promise<Result> {
    const f = this.flags;
    const project = await projectId(this.ctx, f.project);
    checkTimeout(f.timeout);
    const { flavor, image } = await promptMissing(this.ctx, f, this.interactive, project);
    const req: CreateServer = {
      name: this.args.name, flavor, image, keyName: f['key-name'], userData: readUserData(f['user-data']), properties: f.property,
      availabilityZone: f['availability-zone'], host: f.host, hints: hintsOf(f), group: f.group, min: f.min, max: f.max,
      configDrive: f['config-drive'], network: f.network, description: f.description, idempotencyKey: f['idempotency-key'],
      ifNotExists: f['if-not-exists'], project, userId: this.ctx.actor.userId,
    };
    if (f['dry-run']) return this.ctx.scheduling.explain(await dryRunInput(this.ctx, req, project));
    const progress = new BuildProgress();
    const deadline = Date.now() + f.timeout * 1000;
    const work = this.ctx.servers.create(req, progress.onStep).then((made) => (f.wait ? waitActive(this.ctx, made, project, deadline) : made));
    this.pending = work.catch(() => undefined);
    const outcome = withDeadline(work, f.wait ? f.timeout : null, () => buildTimeout(this.ctx, req.name, project, f.timeout, progress.current));
    outcome.then((s) => progress.done(s.map((x) => serverView(x).status).join(', ')), (e) => progress.fail(e));
    if (process.stderr.isTTY && !this.jsonMode) await runSteps(progress.steps(), { tty: true, quiet: false }).catch(() => undefined);
    const made = await outcome;
    if (!this.jsonMode) this.images = await imageNames(this.ctx, project, made);
    const servers = made.map(serverView);
    return (f.max ?? 1) > 1 || servers.length > 1 ? { servers } : { server: servers[0] };
  }

  protected override exitCodeFor(r: Result): number {
    return 'filters' in r && !r.selected ? 5 : 0;
  }

  protected override renderHuman(r: Result): void {
    if ('filters' in r) return this.log(explanationText(r));
    const servers = 'servers' in r ? r.servers : [r.server];
    this.log(servers.length === 1 ? serverDetail(servers[0], this.images) : serversTable(servers, false, this.images));
    for (const s of servers.filter((x) => x.status === 'ERROR')) {
      this.warnLine(colour.bad(`Server ${s.name} is in ERROR: ${(s.fault as { message?: string } | undefined)?.message ?? 'no fault recorded'}`));
    }
  }

  /** A build that outlived --timeout still runs in this process: let it reach a definite state first. */
  protected override async finally(err: Error | undefined): Promise<unknown> {
    if (this.pending) await this.pending;
    return super.finally(err);
  }
}
