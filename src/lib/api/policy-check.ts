/**
 * The effective policy, for `novalite policy check` and the server alike: the base rules, each
 * route module's defaults and policy-rules.ts, then a policy file's overrides. Every expression
 * is parsed (a malformed one, or a rule that refers to itself, is reported, not served), and an
 * override naming no known rule is flagged, since it is most likely a typo.
 */
import { BASE_RULES, Policy } from './policy';
import { DEFAULT_RULES } from './policy-rules';
import { COMPUTE_ROUTES, IDENTITY_ROUTES, IMAGE_ROUTES } from './routes';
import type { Caller } from './types';

export interface PolicyRuleReport {
  name: string;
  /** The expression in force. */
  expression: string;
  /** The built-in default, or null for a rule only the file defines. */
  default: string | null;
  overridden: boolean;
  /** Why the expression cannot be evaluated (then the server refuses it: fail closed). */
  error?: string;
}

/** Every default rule: the base rules, policy-rules.ts, and each route module's `.rules`, as buildApp assembles them. */
export function defaultPolicyRules(): Record<string, string> {
  const out: Record<string, string> = { ...BASE_RULES, ...DEFAULT_RULES };
  for (const m of [...COMPUTE_ROUTES, ...IDENTITY_ROUTES, ...IMAGE_ROUTES]) Object.assign(out, m.rules ?? {});
  return out;
}

const PROBE: Caller = { userId: 'probe', userName: 'probe', projectId: 'probe', projectName: 'probe', roles: [], isAdmin: false };

export function effectivePolicy(overrides: Record<string, string> = {}): { rules: PolicyRuleReport[]; unknownOverrides: string[]; errors: number } {
  const defaults = defaultPolicyRules();
  const policy = new Policy(defaults, overrides);
  const effective = policy.effective();
  const rules = Object.keys(effective).sort().map((name): PolicyRuleReport => {
    const r: PolicyRuleReport = { name, expression: effective[name], default: defaults[name] ?? null, overridden: name in overrides && overrides[name] !== defaults[name] };
    try {
      policy.check(name, PROBE, { projectId: 'probe', userId: 'probe' });
    } catch (e) {
      r.error = (e as Error).message;
    }
    return r;
  });
  const unknownOverrides = Object.keys(overrides).filter((k) => !(k in defaults)).sort();
  return { rules, unknownOverrides, errors: rules.filter((r) => r.error).length };
}
