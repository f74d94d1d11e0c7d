import { PowerCommand, powerDoc } from './_power';

const doc = powerDoc('start', 'Start a stopped (SHUTOFF) server; it becomes ACTIVE.');

export default class ServerStart extends PowerCommand {
  static override description = doc.description;
  static override examples = doc.examples;

  protected action(): string { return 'start'; }
}
