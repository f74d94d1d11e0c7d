import { PowerCommand, powerDoc } from './_power';

const doc = powerDoc('unpause', 'Unpause a PAUSED server; it becomes ACTIVE.');

export default class ServerUnpause extends PowerCommand {
  static override description = doc.description;
  static override examples = doc.examples;

  protected action(): string { return 'unpause'; }
}
