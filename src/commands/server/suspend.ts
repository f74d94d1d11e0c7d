import { PowerCommand, powerDoc } from './_power';

const doc = powerDoc('suspend', 'Suspend a server (its memory saved to disk); it becomes SUSPENDED.');

export default class ServerSuspend extends PowerCommand {
  static override description = doc.description;
  static override examples = doc.examples;

  protected action(): string { return 'suspend'; }
}
