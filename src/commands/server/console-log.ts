import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { projectFlag, projectId, serverArg } from './_flags';

export default class ServerConsoleLog extends BaseCommand<typeof ServerConsoleLog> {
  static override description = 'Print the console (serial) log of a server, or its last --lines lines. Exit 4 while it is building.';
  static override examples = ['<%= config.bin %> server console-log web1', '<%= config.bin %> server console-log web1 --lines 20 --json'];
  static override args = { ...serverArg };
  static override flags = { ...projectFlag, lines: Flags.integer({ description: 'Only the last N lines.' }) };

  protected async execute(): Promise<{ output: string }> {
    const project = await projectId(this.ctx, this.flags.project);
    return { output: await this.ctx.serverActions.consoleLog(this.args.server, project, this.flags.lines) };
  }

  protected override renderHuman(r: { output: string }): void {
    process.stdout.write(r.output);
  }
}
