import { Flags } from '@oclif/core';
import { PowerCommand, powerDoc } from './_power';

const doc = powerDoc('reboot', 'Reboot a server: soft (ACTIVE servers only) or --hard (also from SHUTOFF, PAUSED, SUSPENDED or ERROR).',
  ['<%= config.bin %> server reboot web1 --hard --wait']);

export default class ServerReboot extends PowerCommand {
  static override description = doc.description;
  static override examples = doc.examples;
  static override flags = { ...PowerCommand.flags, hard: Flags.boolean({ description: 'Hard reboot (power cycle).' }) };

  protected action(): string { return (this.flags as { hard?: boolean }).hard ? 'reboot_hard' : 'reboot'; }
}
