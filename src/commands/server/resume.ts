import { PowerCommand, powerDoc } from './_power';

const doc = powerDoc('resume', 'Resume a SUSPENDED server; it becomes ACTIVE.');

export default class ServerResume extends PowerCommand {
  static override description = doc.description;
  static override examples = doc.examples;

  protected action(): string { return 'resume'; }
}
