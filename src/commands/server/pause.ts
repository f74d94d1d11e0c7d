import { PowerCommand, powerDoc } from './_power';

const doc = powerDoc('pause', 'Pause a server (its memory stays in place); it becomes PAUSED.');

export default class ServerPause extends PowerCommand {
  static override description = doc.description;
  static override examples = doc.examples;

  protected action(): string { return 'pause'; }
}
