/**
 * The base command's contract, for every command: --json on each, an example in each --help,
 * exit codes of DESIGN.md §5, nothing but one JSON document on stdout, no prompt without a TTY.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { headVersion } from '../../src/lib/db/migrator';
import { isolatedEnv, ROOT, runCli, spawnCli } from '../helpers/cli';

jest.setTimeout(60000);

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'oclif.manifest.json'), 'utf8'));
const ids = Object.keys(manifest.commands);

describe('every command', () => {
  it.each(ids)('%s has --json, --config-file, --yes and an example', (id) => {
    const c = manifest.commands[id];
    expect(c.flags.json).toBeDefined();
    expect(c.flags['config-file']).toBeDefined();
    expect(c.flags.yes).toBeDefined();
    expect(c.examples?.length).toBeGreaterThan(0);
    expect(c.description).toBeTruthy();
  });

  it('accepts Nova spellings as aliases for cell_v2, api_db and db', () => {
    const aliases = ids.flatMap((id) => manifest.commands[id].aliases ?? []);
    expect(aliases).toEqual(expect.arrayContaining(['cell_v2:discover_hosts', 'api_db:sync', 'db:archive_deleted_rows', 'cell_v2:simple_cell_setup']));
  });
});

describe('as a process', () => {
  it('--help exits 0 and lists the topics', () => {
    const r = spawnCli(['--help'], isolatedEnv());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/cell-v2/);
    expect(r.stdout).toMatch(/api-db/);
  });

  it('an unknown command exits 2 with a hint, also as JSON', () => {
    const r = spawnCli(['frobnicate', '--json'], isolatedEnv());
    expect(r.code).toBe(2);
    expect(r.json.error).toMatchObject({ code: 'UNKNOWN_COMMAND' });
    expect(r.stderr).toContain('novalite --help');
  });

  it('prints exactly one JSON document on stdout, progress on stderr', () => {
    const env = isolatedEnv();
    expect(spawnCli(['api-db', 'sync', '--json'], env).code).toBe(0);
    const r = spawnCli(['db', 'sync', '--json'], env);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.json.databases).toHaveLength(2);
  });

  it('without a TTY and without --yes, delete-cell never prompts', () => {
    const env = isolatedEnv();
    spawnCli(['api-db', 'sync'], env);
    spawnCli(['db', 'sync'], env);
    spawnCli(['cell-v2', 'simple-cell-setup'], env);
    const r = spawnCli(['cell-v2', 'delete-cell', '--cell-uuid', 'cell1'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Deleted cell cell1');
  });

  it('a bug exits 1 without a stack trace unless --verbose', () => {
    // A directory where the SQLite file should be makes the driver fail in an unplanned way.
    const env = isolatedEnv();
    const dir = path.join(env.HOME, 'api-is-a-dir');
    fs.mkdirSync(path.join(dir, 'x.sqlite'), { recursive: true });
    const url = `sqlite://${path.join(dir, 'x.sqlite')}`;
    const r = spawnCli(['api-db', 'version'], { ...env, NOVALITE_API_DATABASE_CONNECTION: url });
    expect([1, 7]).toContain(r.code);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('--json shapes and exit codes', () => {
  let env: Record<string, string>;
  beforeAll(async () => {
    env = isolatedEnv();
    await runCli(['api-db', 'sync'], env);
    await runCli(['db', 'sync'], env);
  });

  it('config show', async () => {
    const r = await runCli(['config', 'show', '--json'], env);
    expect(r.code).toBe(0);
    expect(r.json.file).toBeNull();
    expect(r.json.options).toEqual(expect.arrayContaining([
      expect.objectContaining({ section: 'database', key: 'connection', source: 'default' }),
    ]));
  });

  it('config show with a bad config file exits 7 naming the key', async () => {
    const f = path.join(env.HOME, 'bad.conf');
    fs.writeFileSync(f, '[scheduler]\nmax_attempts = many\n');
    const r = await runCli(['config', 'show', '--json', '--config-file', f], env);
    expect(r.code).toBe(7);
    expect(r.json.error.message).toContain('[scheduler] max_attempts');
    expect(r.json.error.message).toContain(f);
  });

  it('api-db version and db version', async () => {
    const a = await runCli(['api-db', 'version', '--json'], env);
    expect(a.json).toMatchObject({ name: 'api', version: headVersion('api'), head: headVersion('api') });
    const d = await runCli(['db', 'version', '--json'], env);
    expect(d.json.databases[0]).toMatchObject({ name: 'cell0', version: headVersion('cell'), head: headVersion('cell') });
  });

  it('api-db sync to a version that does not exist exits 2', async () => {
    const r = await runCli(['api-db', 'sync', '--version', '99', '--json'], env);
    expect(r.code).toBe(2);
    expect(r.json.error.hint).toContain('--version');
  });

  it('map-cell0, then update-cell and its refusals', async () => {
    const m = await runCli(['cell-v2', 'map-cell0', '--json'], env);
    expect(m.json).toMatchObject({ created: true, cell: { name: 'cell0' } });
    expect((await runCli(['cell-v2', 'map-cell0', '--json'], env)).json.created).toBe(false);
    const d = await runCli(['cell-v2', 'update-cell', '--cell-uuid', 'cell0', '--disable', '--json'], env);
    expect(d.code).toBe(4);
    const nf = await runCli(['cell-v2', 'update-cell', '--cell-uuid', 'nope', '--name', 'x', '--json'], env);
    expect(nf.code).toBe(3);
    const both = await runCli(['cell-v2', 'update-cell', '--cell-uuid', 'cell0', '--enable', '--disable', '--json'], env);
    expect(both.code).toBe(2);
    const s = await runCli(['cell-v2', 'simple-cell-setup', '--json'], env);
    const ok = await runCli(['cell-v2', 'update-cell', '--cell-uuid', s.json.cells[1].uuid, '--name', 'east', '--disable', '--json'], env);
    expect(ok.code).toBe(0);
    expect(ok.json.cell).toMatchObject({ name: 'east', disabled: true });
  });

  it('online-data-migrations with nothing to do', async () => {
    const r = await runCli(['db', 'online-data-migrations', '--json'], env);
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ rows: [], remaining: false });
    const bad = await runCli(['db', 'online-data-migrations', '--max-count', '0', '--json'], env);
    expect(bad.code).toBe(2);
  });

  it('archive with a bad date is a usage error', async () => {
    const r = await runCli(['db', 'archive-deleted-rows', '--before', 'yesterday-ish', '--json'], env);
    expect(r.code).toBe(2);
  });

  it('missing required flags are usage errors (exit 2) naming the flag', async () => {
    const r = await runCli(['cell-v2', 'create-cell', '--json'], env);
    expect(r.code).toBe(2);
    expect(r.json.error.message).toContain('--name');
  });
});
