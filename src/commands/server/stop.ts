import { PowerCommand, powerDoc } from './_power';

const doc = powerDoc('stop', 'Stop (power off) a server; it becomes SHUTOFF.');

export default class ServerStop extends PowerCommand {
  static override description = doc.description;
  static override examples = doc.examples;

  protected action(): string { return 'stop'; }
}
