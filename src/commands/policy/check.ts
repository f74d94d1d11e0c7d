import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { effectivePolicy, readPolicyFile, type PolicyRuleReport } from '../../lib/api/serve';
import { table } from '../_render';

type Result = { rules: PolicyRuleReport[]; unknown_overrides: string[]; errors: number };

export default class PolicyCheck extends BaseCommand<typeof PolicyCheck> {
  static override description = [
    'List every API policy rule and the expression in force: the defaults (Nova\'s names, Keystone\'s for /identity), with the',
    'overrides of a YAML policy file applied (the same file `novalite serve --policy-file` takes). Each expression is parsed;',
    'exit 2 when one is malformed or refers to itself (the server would refuse that action to everyone but admins).',
  ].join(' ');
  static override examples = [
    '<%= config.bin %> policy check',
    '<%= config.bin %> policy check --policy-file /etc/novalite/policy.yaml --json',
  ];
  static override flags = {
    'policy-file': Flags.string({ description: 'YAML file mapping rule names to check strings, e.g. `"os_compute_api:servers:create": "role:admin"`.' }),
  };

  protected async execute(): Promise<Result> {
    const r = effectivePolicy(this.flags['policy-file'] ? readPolicyFile(this.flags['policy-file']) : {});
    return { rules: r.rules, unknown_overrides: r.unknownOverrides, errors: r.errors };
  }

  protected override exitCodeFor(r: Result): number { return r.errors ? 2 : 0; }

  protected override renderHuman(r: Result): void {
    this.log(table(r.rules, [
      { header: 'Rule', get: (x) => `${x.name}${x.overridden ? ' *' : ''}` },
      { header: 'Expression', get: (x) => (x.error ? `${x.expression}  [error: ${x.error}]` : x.expression) },
    ]));
    this.log('\n* overridden by the policy file');
    for (const u of r.unknown_overrides) this.warnLine(`Warning: the policy file sets ${u}, which is no rule the API checks (a typo?).`);
    if (r.errors) this.warnLine(`${r.errors} rule(s) cannot be evaluated; fix them before serving this policy.`);
  }
}
