/**
 * Policy: each API action names a rule; a rule is a check expression over the caller's roles
 * and the target's project. Defaults follow Nova's (admin-only APIs, project members act on their
 * own project's objects, readers only read); a YAML file can override any rule.
 *
 * Expressions: `@` (anyone), `!` (no one), `role:X`, `project_id:%(project_id)s`, `rule:NAME`,
 * combined with `and`, `or`, `not` and parentheses.
 */
import { ForbiddenError } from '../errors';
import type { Caller } from './types';

export const BASE_RULES: Record<string, string> = {
  admin_api: 'role:admin',
  project_member: 'role:member and project_id:%(project_id)s',
  project_reader: '(role:reader or role:member) and project_id:%(project_id)s',
  admin_or_member: 'rule:admin_api or rule:project_member',
  admin_or_reader: 'rule:admin_api or rule:project_reader',
};

export type Target = { projectId?: string | null; userId?: string | null };

type Tok = { kind: 'word'; v: string } | { kind: 'op'; v: '(' | ')' | 'and' | 'or' | 'not' };

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  // `%(project_id)s` placeholders keep their parentheses: only the others group.
  for (const raw of s.replace(/%\((\w+)\)s/g, '%<$1>s').replace(/\(/g, ' ( ').replace(/\)/g, ' ) ').split(/\s+/).filter(Boolean)) {
    out.push(['(', ')', 'and', 'or', 'not'].includes(raw) ? { kind: 'op', v: raw as 'and' } : { kind: 'word', v: raw.replace(/%<(\w+)>s/g, '%($1)s') });
  }
  return out;
}

export class Policy {
  private readonly rules: Record<string, string>;

  constructor(defaults: Record<string, string>, overrides: Record<string, string> = {}) {
    this.rules = { ...BASE_RULES, ...defaults, ...overrides };
  }

  effective(): Record<string, string> { return { ...this.rules }; }

  check(rule: string, caller: Caller, target: Target = {}, depth = 0): boolean {
    const expr = this.rules[rule];
    if (expr === undefined) return caller.isAdmin; // an unknown rule is admin-only: fail closed
    if (depth > 20) throw new Error(`Policy rule ${rule} refers to itself.`);
    return this.evaluate(expr, caller, target, depth);
  }

  enforce(rule: string, caller: Caller, target: Target = {}): void {
    if (!this.check(rule, caller, { projectId: target.projectId ?? caller.projectId, userId: target.userId ?? caller.userId })) {
      throw new ForbiddenError(`Policy doesn't allow ${rule} to be performed.`, { code: 'POLICY_FORBIDDEN' });
    }
  }

  evaluate(expr: string, caller: Caller, target: Target, depth = 0): boolean {
    const toks = tokenize(expr.trim() === '' ? '@' : expr);
    let i = 0;
    const atom = (): boolean => {
      const t = toks[i++];
      if (!t) throw new Error(`Policy expression ${JSON.stringify(expr)} ends too early.`);
      if (t.kind === 'op' && t.v === '(') { const v = or(); if (toks[i++]?.v !== ')') throw new Error(`Unbalanced parenthesis in ${JSON.stringify(expr)}.`); return v; }
      if (t.kind === 'op' && t.v === 'not') return !atom();
      if (t.kind === 'op') throw new Error(`Unexpected ${t.v} in policy expression ${JSON.stringify(expr)}.`);
      if (t.v === '@') return true;
      if (t.v === '!') return false;
      const [kind, ...rest] = t.v.split(':');
      const val = rest.join(':');
      if (kind === 'role') return caller.roles.includes(val);
      if (kind === 'rule') return this.check(val, caller, target, depth + 1);
      if (kind === 'project_id') return val === '%(project_id)s' ? !!target.projectId && target.projectId === caller.projectId : caller.projectId === val;
      if (kind === 'user_id') return val === '%(user_id)s' ? !!target.userId && target.userId === caller.userId : caller.userId === val;
      throw new Error(`Unknown check ${JSON.stringify(t.v)} in policy expression ${JSON.stringify(expr)}.`);
    };
    const and = (): boolean => { let v = atom(); while (toks[i]?.v === 'and') { i++; const r = atom(); v = v && r; } return v; };
    const or = (): boolean => { let v = and(); while (toks[i]?.v === 'or') { i++; const r = and(); v = v || r; } return v; };
    const v = or();
    if (i !== toks.length) throw new Error(`Unexpected ${toks[i].v} in policy expression ${JSON.stringify(expr)}.`);
    return v;
  }
}
