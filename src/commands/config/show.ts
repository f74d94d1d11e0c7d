import { BaseCommand } from '../_base';
import { configView } from '../../lib/views/config';
import { table } from '../_render';

export default class ConfigShow extends BaseCommand<typeof ConfigShow> {
  static override description = 'Show the effective configuration and where each value came from (secrets masked).';
  static override examples = ['<%= config.bin %> config show', '<%= config.bin %> config show --json --config-file ./novalite.conf'];

  protected async execute() {
    return configView(this.ctx.config);
  }

  protected override renderHuman(r: ReturnType<typeof configView>): void {
    this.log(`Config file: ${r.file ?? '(none; using defaults and environment)'}`);
    this.log(table(r.options, [
      { header: 'Section', get: (o) => o.section }, { header: 'Option', get: (o) => o.key },
      { header: 'Value', get: (o) => o.value }, { header: 'Source', get: (o) => (o.origin ? `${o.source} (${o.origin})` : o.source) },
    ]));
  }
}
