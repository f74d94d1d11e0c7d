/**
 * `user create/list/delete`, `role add/remove/list`, `policy check`: --json shapes, exit codes,
 * and that no password or hash ever reaches stdout or stderr. The commands run in-process from
 * the source tree (they and the identity migration may be newer than dist/).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Config, Errors } from '@oclif/core';
import { openDb } from '../../src/lib/db/knex';
import { Context } from '../../src/lib/context';
import { ROOT, setupEnv, type CliResult } from '../helpers/cli';

jest.setTimeout(60000);

const HEX32 = /^[0-9a-f]{32}$/;
const SECRETS = ['Adm1n-Secret!', 'al1ce-Secret?', 'b0b-Secret#', 'car0l-Secret%'];

let config: Config;
const outputs: string[] = [];

/** Runs `novalite <id> argv` from src/commands in this process, capturing output and the exit code. */
async function run(id: string, argv: string[], env: Record<string, string>): Promise<CliResult> {
  const Cls = require(path.join(ROOT, 'src', 'commands', ...id.split(' '))).default;
  Cls.id = id.replace(/ /g, ':');
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) { saved[k] = process.env[k]; process.env[k] = v; }
  let stdout = '';
  let stderr = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  (process.stdout as any).write = (s: any) => { stdout += String(s); return true; };
  (process.stderr as any).write = (s: any) => { stderr += String(s); return true; };
  let code = 0;
  try {
    await Cls.run(argv, config);
  } catch (e: any) {
    if (e instanceof Errors.ExitError || e?.oclif?.exit !== undefined) code = e.oclif?.exit ?? 1;
    else { code = 1; stderr += String(e?.stack ?? e); }
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
    for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
  }
  outputs.push(stdout, stderr);
  let json: any;
  try { json = JSON.parse(stdout); } catch { json = undefined; }
  // Node's own process warnings (listener counts of the shared in-process stdout) are not the command's output.
  stderr = stderr.replace(/^\(node:\d+\) \w*Warning:.*\n(\(Use `node --trace-warnings.*\n)?/gm, '');
  return { code, stdout, stderr, json };
}

describe('user, role and policy commands', () => {
  let env: Record<string, string>;
  const cli = (id: string, ...argv: string[]) => run(id, [...argv, '--json'], env);

  beforeAll(async () => {
    config = await Config.load(ROOT);
    env = await setupEnv([]);
    const ctx = new Context({ env: { ...process.env, ...env } });
    try { await ctx.stores.sync(ctx.stores.apiDb(), 'api'); } finally { await ctx.close(); }
  });

  afterAll(() => {
    // whatever ran, no password ever reached stdout or stderr
    for (const o of outputs) for (const s of SECRETS) expect(o).not.toContain(s);
  });

  it('user create admin --project admin --role admin: the Keystone user and its role assignment', async () => {
    const r = await cli('user create', 'admin', '--password', SECRETS[0], '--project', 'admin', '--role', 'admin');
    expect(r.code).toBe(0);
    expect(r.json).toEqual({
      user: { id: expect.stringMatching(HEX32), name: 'admin', domain_id: 'default', enabled: true, password_expires_at: null, options: {} },
      role_assignments: [{ user: { id: r.json.user.id, name: 'admin' }, project: { id: expect.stringMatching(HEX32), name: 'admin' }, role: { id: expect.stringMatching(HEX32), name: 'admin' } }],
    });
    expect(r.stderr).toBe('');
    expect(require('../../src/commands/user/create').default.description).toContain('novalite user create admin --password … --project admin --role admin');
  });

  it('takes the password from NOVALITE_USER_PASSWORD and creates the project when missing; the human output names no password', async () => {
    const r = await run('user create', ['alice', '--project', 'acme', '--role', 'member'], { ...env, NOVALITE_USER_PASSWORD: SECRETS[1] });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Created user alice \([0-9a-f]{32}\)/);
    expect(r.stdout).toMatch(/alice\s+acme\s+member/);
    const ctx = new Context({ env: { ...process.env, ...env } });
    try {
      expect((await ctx.projects.list()).map((p) => p.name).sort()).toEqual(['acme', 'admin']);
      expect((await ctx.identity.checkPassword({ name: 'alice' }, SECRETS[1])).name).toBe('alice');
      await expect(ctx.identity.checkPassword({ name: 'alice' }, SECRETS[0])).rejects.toMatchObject({ category: 'unauthorized' });
    } finally { await ctx.close(); }
  });

  it('stores a salted scrypt hash, never the password (two users with one password get different hashes)', async () => {
    expect((await cli('user create', 'bob', '--password', SECRETS[1], '--project', 'acme', '--role', 'reader')).code).toBe(0);
    const db = openDb(`sqlite://${path.join(env.XDG_DATA_HOME, 'novalite', 'novalite_api.sqlite')}`, { setting: 'test' });
    try {
      const rows = await db.knex('users').whereIn('name', ['alice', 'bob']).select('password_hash');
      expect(rows).toHaveLength(2);
      for (const r of rows) { expect(r.password_hash).toMatch(/^scrypt\$16384\$8\$1\$/); expect(r.password_hash).not.toContain(SECRETS[1]); }
      expect(rows[0].password_hash).not.toBe(rows[1].password_hash);
    } finally { await db.close(); }
  });

  it('a user without --project holds no role; --role without --project is a usage error (2)', async () => {
    const r = await cli('user create', 'carol', '--password', SECRETS[3]);
    expect([r.code, r.json.role_assignments]).toEqual([0, []]);
    const bad = await cli('user create', 'dave', '--password', SECRETS[3], '--role', 'member');
    expect(bad.code).toBe(2);
    const noSuchId = await cli('user create', 'dave', '--password', SECRETS[3], '--project', '0123456789abcdef0123456789abcdef');
    expect([noSuchId.code, noSuchId.json.error.code]).toEqual([3, 'PROJECT_NOT_FOUND']);
  });

  it('a taken name exits 4 (USER_EXISTS), without echoing the password', async () => {
    const r = await cli('user create', 'alice', '--password', SECRETS[2], '--project', 'acme');
    expect(r.code).toBe(4);
    expect(r.json.error).toMatchObject({ code: 'USER_EXISTS', message: expect.stringContaining('alice') });
    expect(r.stderr).toContain('already exists');
  });

  it.each([
    ['no password and no terminal', ['erin'], 'PASSWORD_REQUIRED'],
    ['an empty password', ['erin', '--password', ''], 'INVALID_PASSWORD'],
    ['a bad role', ['erin', '--password', 'x', '--project', 'acme', '--role', 'owner'], 'USAGE'],
    ['a blank name', ['  ', '--password', 'x'], 'INVALID_INPUT'],
  ])('user create with %s exits 2', async (_w, argv, code) => {
    const r = await run('user create', [...argv, '--json'], { ...env, NOVALITE_USER_PASSWORD: '' });
    expect(r.code).toBe(2);
    expect(r.json.error.code).toBe(code);
  });

  it('user list: every user, by name', async () => {
    const r = await cli('user list');
    expect(r.code).toBe(0);
    expect(r.json.users.map((u: { name: string }) => u.name)).toEqual(['admin', 'alice', 'bob', 'carol']);
    expect(Object.keys(r.json.users[0]).sort()).toEqual(['domain_id', 'enabled', 'id', 'name', 'options', 'password_expires_at']);
    expect(r.stdout).not.toMatch(/scrypt/);
  });

  it('role add / list / remove, idempotent add, exit 3 for unknown user, project or assignment, 2 for a bad role', async () => {
    const add = await cli('role add', 'alice', '--project', 'admin', '--role', 'reader');
    expect(add.code).toBe(0);
    expect(add.json).toEqual({ role_assignment: { user: { id: expect.stringMatching(HEX32), name: 'alice' }, project: { id: expect.stringMatching(HEX32), name: 'admin' }, role: { id: expect.stringMatching(HEX32), name: 'reader' } }, created: true });
    const again = await cli('role add', 'alice', '--project', 'admin', '--role', 'reader');
    expect([again.code, again.json.created]).toEqual([0, false]);
    expect((await cli('role add', 'nobody', '--project', 'admin', '--role', 'reader')).code).toBe(3);
    expect((await cli('role add', 'alice', '--project', 'nowhere', '--role', 'reader')).code).toBe(3);
    const bad = await cli('role add', 'alice', '--project', 'admin', '--role', 'owner');
    expect(bad.code).toBe(2);
    expect((await cli('role add', 'alice', '--project', 'admin')).code).toBe(2);

    const mine = await cli('role list', '--user', 'alice');
    expect(mine.json.role_assignments.map((a: any) => [a.project.name, a.role.name])).toEqual([['acme', 'member'], ['admin', 'reader']]);
    const all = await cli('role list');
    expect(all.json.role_assignments.map((a: any) => `${a.user.name}/${a.project.name}/${a.role.name}`)).toEqual(['admin/admin/admin', 'alice/acme/member', 'alice/admin/reader', 'bob/acme/reader']);
    expect((await cli('role list', '--project', 'acme')).json.role_assignments).toHaveLength(2);
    expect((await cli('role list', '--user', 'nobody')).code).toBe(3);

    const rm = await cli('role remove', 'alice', '--project', 'admin', '--role', 'reader');
    expect(rm.code).toBe(0);
    expect(rm.json.removed).toMatchObject({ user: { name: 'alice' }, project: { name: 'admin' }, role: { name: 'reader' } });
    const rm2 = await cli('role remove', 'alice', '--project', 'admin', '--role', 'reader');
    expect([rm2.code, rm2.json.error.code]).toEqual([3, 'ROLE_ASSIGNMENT_NOT_FOUND']);
  });

  it('user delete removes the user and its roles; exit 3 when unknown', async () => {
    const r = await cli('user delete', 'bob');
    expect(r.code).toBe(0);
    expect(r.json.deleted).toMatchObject({ name: 'bob', id: expect.stringMatching(HEX32) });
    expect((await cli('role list', '--project', 'acme')).json.role_assignments.map((a: any) => a.user.name)).toEqual(['alice']);
    const again = await cli('user delete', 'bob');
    expect([again.code, again.json.error.code]).toEqual([3, 'USER_NOT_FOUND']);
  });

  it('policy check lists every rule with its expression; a policy file overrides, flags typos, and a malformed rule exits 2', async () => {
    const r = await cli('policy check');
    expect(r.code).toBe(0);
    expect(r.json.errors).toBe(0);
    expect(r.json.unknown_overrides).toEqual([]);
    expect(r.json.rules).toEqual(expect.arrayContaining([
      { name: 'os_compute_api:servers:create', expression: 'rule:admin_or_member', default: 'rule:admin_or_member', overridden: false },
      { name: 'admin_api', expression: 'role:admin', default: 'role:admin', overridden: false },
    ]));
    const file = path.join(env.HOME, 'policy.yaml');
    fs.writeFileSync(file, '"os_compute_api:servers:create": "role:admin"\n"os_compute_api:servers:creat": "role:admin"\n');
    const o = await cli('policy check', '--policy-file', file);
    expect(o.code).toBe(0);
    expect(o.json.rules.find((x: any) => x.name === 'os_compute_api:servers:create')).toEqual({ name: 'os_compute_api:servers:create', expression: 'role:admin', default: 'rule:admin_or_member', overridden: true });
    expect(o.json.unknown_overrides).toEqual(['os_compute_api:servers:creat']);
    const human = await run('policy check', ['--policy-file', file], env);
    expect(human.stdout).toMatch(/os_compute_api:servers:create \*\s+role:admin/);
    expect(human.stderr).toMatch(/os_compute_api:servers:creat, which is no rule/);
    fs.writeFileSync(file, '"os_compute_api:servers:create": "role:admin or ("\n');
    const bad = await cli('policy check', '--policy-file', file);
    expect(bad.code).toBe(2);
    expect(bad.json.errors).toBe(1);
    expect(bad.json.rules.find((x: any) => x.name === 'os_compute_api:servers:create').error).toMatch(/parenthesis|ends too early/);
    expect((await cli('policy check', '--policy-file', path.join(env.HOME, 'missing.yaml'))).code).toBe(2);
  });
});
