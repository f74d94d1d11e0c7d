/** The policy language (and/or/not, parentheses, rule: references, project and user matching) and the effective policy `policy check` shows. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BASE_RULES, Policy } from '../../../src/lib/api/policy';
import { effectivePolicy, readPolicyFile } from '../../../src/lib/api/serve';
import type { Caller } from '../../../src/lib/api/types';

const who = (roles: string[], projectId = 'p1', userId = 'u1'): Caller => ({ userId, userName: userId, projectId, projectName: projectId, roles, isAdmin: roles.includes('admin') });
const admin = who(['admin', 'member', 'reader']);
const member = who(['member', 'reader']);
const reader = who(['reader']);
const nobody = who([]);

describe('policy expressions', () => {
  const p = new Policy({});
  const ev = (expr: string, c: Caller, t = {}) => p.evaluate(expr, c, t);

  it('@ allows anyone, ! no one, an empty expression anyone', () => {
    expect([ev('@', nobody), ev('!', admin), ev('', nobody), ev('   ', nobody)]).toEqual([true, false, true, true]);
  });

  it('role: checks one role', () => {
    expect([ev('role:member', member), ev('role:member', reader), ev('role:admin', member)]).toEqual([true, false, false]);
  });

  it('and binds tighter than or; not tighter than and', () => {
    expect(ev('role:admin or role:member and role:nope', member)).toBe(false);
    expect(ev('role:admin or role:member and role:nope', admin)).toBe(true);
    expect(ev('not role:admin and role:member', member)).toBe(true);
    expect(ev('not role:admin and role:member', admin)).toBe(false);
    expect(ev('not not role:reader', reader)).toBe(true);
    expect(ev('role:reader and not role:member', reader)).toBe(true);
    expect(ev('role:reader and not role:member', member)).toBe(false);
  });

  it('parentheses group', () => {
    expect(ev('(role:admin or role:member) and role:nope', admin)).toBe(false);
    expect(ev('role:reader and (role:admin or role:member)', member)).toBe(true);
    expect(ev('not (role:admin or role:member)', reader)).toBe(true);
    expect(ev('((role:reader))', reader)).toBe(true);
    expect(ev('(role:reader)and(role:member)', member)).toBe(true);
  });

  it('project_id:%(project_id)s matches the target\'s project, and needs one', () => {
    expect(ev('project_id:%(project_id)s', member, { projectId: 'p1' })).toBe(true);
    expect(ev('project_id:%(project_id)s', member, { projectId: 'p2' })).toBe(false);
    expect(ev('project_id:%(project_id)s', member, {})).toBe(false);
    expect(ev('project_id:%(project_id)s', member, { projectId: null })).toBe(false);
    expect(ev('(role:member and project_id:%(project_id)s)', member, { projectId: 'p1' })).toBe(true);
    expect(ev('project_id:p1', member)).toBe(true);
    expect(ev('project_id:p2', member)).toBe(false);
  });

  it('user_id:%(user_id)s matches the target\'s user', () => {
    expect(ev('user_id:%(user_id)s', member, { userId: 'u1' })).toBe(true);
    expect(ev('user_id:%(user_id)s', member, { userId: 'u2' })).toBe(false);
    expect(ev('user_id:u1', member)).toBe(true);
  });

  it.each([
    ['role:admin or'], ['and role:admin'], ['(role:admin'], ['role:admin)'], ['role:admin role:member'], ['()'],
    ['admin'], ['group:x'], ['not'], ['role:a or or role:b'],
  ])('malformed %j throws', (expr) => {
    expect(() => ev(expr, admin)).toThrow(/policy expression|ends too early|parenthesis/i);
  });
});

describe('policy rules', () => {
  it('rule: refers to another rule, recursively, with the base rules of Nova', () => {
    const p = new Policy({ a: 'rule:b', b: 'rule:c or role:x', c: 'role:member' });
    expect(p.check('a', member)).toBe(true);
    expect(p.check('a', reader)).toBe(false);
    expect(p.check('a', who(['x']))).toBe(true);
    expect(p.check('admin_or_member', member, { projectId: 'p1' })).toBe(true);
    expect(p.check('admin_or_member', member, { projectId: 'p2' })).toBe(false);
    expect(p.check('admin_or_member', admin, { projectId: 'p2' })).toBe(true);
    expect(p.check('admin_or_reader', reader, { projectId: 'p1' })).toBe(true);
    expect(p.check('admin_or_member', reader, { projectId: 'p1' })).toBe(false);
  });

  it('an unknown rule fails closed: admins only, directly or through rule:', () => {
    const p = new Policy({ via: 'rule:no-such-rule' });
    expect(p.check('no-such-rule', member)).toBe(false);
    expect(p.check('via', member)).toBe(false);
    expect(p.check('no-such-rule', admin)).toBe(true);
  });

  it('a rule that refers to itself throws instead of looping', () => {
    const p = new Policy({ a: 'rule:b', b: 'rule:a' });
    expect(() => p.check('a', member)).toThrow(/refers to itself/);
  });

  it('overrides win over defaults, which win over the base rules; enforce raises a 403 ForbiddenError', () => {
    const p = new Policy({ x: 'role:admin', admin_api: 'role:admin or role:operator' }, { x: 'role:reader' });
    expect(p.check('x', reader)).toBe(true);
    expect(p.check('admin_api', who(['operator']))).toBe(true);
    expect(p.effective().project_member).toBe(BASE_RULES.project_member);
    expect(() => p.enforce('admin_api', member)).toThrow(expect.objectContaining({ category: 'forbidden', code: 'POLICY_FORBIDDEN' }));
    // enforce defaults the target to the caller's own project
    expect(() => new Policy({ own: 'project_id:%(project_id)s' }).enforce('own', member)).not.toThrow();
    expect(() => new Policy({ own: 'project_id:%(project_id)s' }).enforce('own', member, { projectId: 'p2' })).toThrow();
  });
});

describe('effective policy (policy check)', () => {
  it('lists the base rules, policy-rules.ts and every route module\'s rules, sorted, with no errors by default', () => {
    const r = effectivePolicy();
    const names = r.rules.map((x) => x.name);
    expect(names).toEqual([...names].sort());
    for (const n of ['admin_api', 'os_compute_api:servers:create', 'identity:validate_token', 'identity:get_user']) expect(names).toContain(n);
    expect(r.errors).toBe(0);
    expect(r.unknownOverrides).toEqual([]);
    expect(r.rules.find((x) => x.name === 'identity:validate_token')).toEqual({ name: 'identity:validate_token', expression: 'rule:admin_api or user_id:%(user_id)s', default: 'rule:admin_api or user_id:%(user_id)s', overridden: false });
  });

  it('applies overrides, flags unknown names and reports malformed or self-referring rules', () => {
    const r = effectivePolicy({ 'os_compute_api:servers:create': 'role:admin', 'os_compute_api:servers:creat': 'role:admin', 'identity:get_user': 'role:admin or', admin_api: 'rule:admin_api' });
    const by = Object.fromEntries(r.rules.map((x) => [x.name, x]));
    expect(by['os_compute_api:servers:create']).toMatchObject({ expression: 'role:admin', default: 'rule:admin_or_member', overridden: true });
    expect(by['os_compute_api:servers:create'].error).toBeUndefined();
    expect(by['os_compute_api:servers:creat']).toMatchObject({ default: null, overridden: true });
    expect(r.unknownOverrides).toEqual(['os_compute_api:servers:creat']);
    expect(by['identity:get_user'].error).toMatch(/ends too early/);
    expect(by.admin_api.error).toMatch(/refers to itself/);
    expect(r.errors).toBeGreaterThanOrEqual(2);
  });

  it('reads a YAML policy file: strings only', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nl-policy-'));
    const f = path.join(dir, 'policy.yaml');
    fs.writeFileSync(f, '"os_compute_api:servers:create": "role:admin"\nadmin_api: role:admin\n');
    expect(readPolicyFile(f)).toEqual({ 'os_compute_api:servers:create': 'role:admin', admin_api: 'role:admin' });
    fs.writeFileSync(f, 'admin_api: [1, 2]\n');
    expect(() => readPolicyFile(f)).toThrow(/must be a string/);
    fs.writeFileSync(f, '');
    expect(readPolicyFile(f)).toEqual({});
    expect(() => readPolicyFile(path.join(dir, 'missing.yaml'))).toThrow(/Cannot read/);
  });
});
