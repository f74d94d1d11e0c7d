/** `project create/list/show/delete`: --json shapes (Keystone project), exit codes, the admin project, delete refused while in use. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openDb } from '../../src/lib/db/knex';
import { isolatedEnv, runCli } from '../helpers/cli';

jest.setTimeout(60000);

const HEX32 = /^[0-9a-f]{32}$/;

describe('project commands', () => {
  let env: Record<string, string>;
  const cli = (...argv: string[]) => runCli([...argv, '--json'], env);
  const apiUrl = () => `sqlite://${path.join(env.XDG_DATA_HOME, 'novalite', 'novalite_api.sqlite')}`;
  async function api<T>(fn: (k: ReturnType<typeof openDb>['knex']) => Promise<T>): Promise<T> {
    const db = openDb(apiUrl(), { setting: 'test' });
    try { return await fn(db.knex); } finally { await db.close(); }
  }

  beforeAll(async () => {
    env = isolatedEnv();
    expect((await runCli(['api-db', 'sync'], env)).code).toBe(0);
    expect((await runCli(['db', 'sync'], env)).code).toBe(0);
  });

  it('a fresh install has the admin project (created on first use)', async () => {
    expect(await api((k) => k('projects').count({ n: '*' }))).toEqual([{ n: 0 }]);
    const r = await cli('project', 'list');
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ projects: [{ id: expect.stringMatching(HEX32), name: 'admin', description: expect.any(String), enabled: true, domain_id: 'default' }] });
    const again = await cli('project', 'show', 'admin');
    expect(again.json.project.id).toBe(r.json.projects[0].id);
  });

  it('project create returns the Keystone project object', async () => {
    const r = await cli('project', 'create', 'acme', '--description', 'ACME web team');
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ project: { id: expect.stringMatching(HEX32), name: 'acme', description: 'ACME web team', enabled: true, domain_id: 'default' } });
    const d = await cli('project', 'create', 'ci', '--id', '0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0');
    expect(d.json.project).toEqual({ id: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', name: 'ci', description: null, enabled: true, domain_id: 'default' });
  });

  it('a taken name or id exits 4', async () => {
    const r = await cli('project', 'create', 'acme');
    expect(r.code).toBe(4);
    expect(r.json.error.code).toBe('PROJECT_EXISTS');
    expect((await cli('project', 'create', 'other', '--id', '0f1e2d3c4b5a69788796a5b4c3d2e1f0')).code).toBe(4);
    expect((await cli('project', 'show', 'other')).code).toBe(3);
  });

  it.each([
    ['a name over 64 characters', ['x'.repeat(65)]],
    ['a blank name', ['  ']],
    ['a bad id', ['p9', '--id', 'not-hex']],
  ])('project create with %s exits 2', async (_what, argv) => {
    const r = await cli('project', 'create', ...argv);
    expect(r.code).toBe(2);
    expect(r.json.error.message).toEqual(expect.any(String));
    expect((await cli('project', 'list')).json.projects.map((p: { name: string }) => p.name).sort()).toEqual(['acme', 'admin', 'ci']);
  });

  it('project show by id (with or without dashes) and by name; unknown exits 3', async () => {
    const byName = await cli('project', 'show', 'ci');
    expect(byName.code).toBe(0);
    expect((await cli('project', 'show', '0f1e2d3c4b5a69788796a5b4c3d2e1f0')).json).toEqual(byName.json);
    expect((await cli('project', 'show', '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0')).json).toEqual(byName.json);
    const nf = await cli('project', 'show', 'ghost');
    expect(nf.code).toBe(3);
    expect(nf.json.error.code).toBe('PROJECT_NOT_FOUND');
  });

  it('project delete is refused (exit 4) while the project has servers or images', async () => {
    const acme = (await cli('project', 'show', 'acme')).json.project;
    await api((k) => k('instance_mappings').insert({ instance_uuid: '11111111-2222-4333-8444-555555555555', project_id: acme.id, created_at: '2026-01-01T00:00:00.000Z' }));
    const busy = await cli('project', 'delete', 'acme');
    expect(busy.code).toBe(4);
    expect(busy.json.error).toMatchObject({ code: 'PROJECT_IN_USE', details: { servers: 1, images: 0 } });
    await api((k) => k('instance_mappings').update({ queued_for_delete: true }));
    const r = await cli('project', 'delete', 'acme');
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ deleted: acme });
    expect((await cli('project', 'show', 'acme')).code).toBe(3);
    expect((await cli('project', 'delete', 'acme')).code).toBe(3);
  });

  it('the admin project cannot be deleted while it owns an image', async () => {
    const file = path.join(env.HOME, 'tiny.img');
    fs.writeFileSync(file, 'x');
    expect((await cli('image', 'create', 'tiny', '--file', file)).code).toBe(0);
    const r = await cli('project', 'delete', 'admin');
    expect(r.code).toBe(4);
    expect(r.json.error.details).toEqual({ servers: 0, images: 1 });
    expect((await cli('image', 'delete', 'tiny')).code).toBe(0);
    expect((await cli('project', 'delete', 'admin')).code).toBe(0);
  });

  it('human output: list is a table, show is key/value', async () => {
    const l = await runCli(['project', 'list', '--long'], env);
    expect(l.code).toBe(0);
    expect(l.stdout.split('\n')[0]).toMatch(/^ID\s+Name\s+Domain ID\s+Description\s+Enabled$/);
    expect(l.stdout).toMatch(/^0f1e2d3c4b5a69788796a5b4c3d2e1f0\s+ci\s+default\s+true$/m);
    const s = await runCli(['project', 'show', 'ci'], env);
    expect(s.stdout).toMatch(/^domain_id\s+default$/m);
  });
});
