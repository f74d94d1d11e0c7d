/** `--project` on the commands that create project-owned things, and unique server names per project. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, setupEnv } from '../helpers/cli';

jest.setTimeout(60000);

describe('project scope', () => {
  let env: Record<string, string>;
  const cli = (...argv: string[]) => runCli([...argv, '--json'], env);

  beforeAll(async () => {
    env = await setupEnv([
      ['host', 'add', 'h1', '--driver', 'fake', '--vcpus', '8', '--memory-mb', '8704', '--disk-gb', '100'],
      ['flavor', 'create', 'f1', '--vcpus', '1', '--ram', '512', '--disk', '1'],
      ['project', 'create', 'demo']]);
  });

  it('server groups belong to the project given by --project', async () => {
    expect((await cli('server-group', 'create', 'g', '--policy', 'affinity', '--project', 'demo')).code).toBe(0);
    expect((await cli('server-group', 'list')).json.server_groups).toEqual([]);
    const demo = (await cli('server-group', 'list', '--project', 'demo')).json.server_groups;
    expect(demo.map((g: any) => g.name)).toEqual(['g']);
    expect((await cli('server-group', 'list', '--project', 'nope')).code).toBe(3);
  });

  it('images created with --project are owned by it', async () => {
    const f = path.join(env.HOME, 'x.img');
    fs.writeFileSync(f, 'x');
    const demoId = (await cli('project', 'show', 'demo')).json.project.id;
    const r = await cli('image', 'create', 'demo-img', '--file', f, '--private', '--project', 'demo');
    expect(r.code).toBe(0);
    expect(r.json.image.owner).toBe(demoId);
  });

  it('[DEFAULT] unique_server_name_scope = project refuses a twin in the same project only (exit 4)', async () => {
    const conf = path.join(env.HOME, 'unique.conf');
    fs.writeFileSync(conf, '[DEFAULT]\nunique_server_name_scope = project\n');
    expect((await cli('server', 'create', 'web', '--flavor', 'f1', '--config-file', conf)).code).toBe(0);
    const twin = await cli('server', 'create', 'web', '--flavor', 'f1', '--config-file', conf);
    expect(twin.code).toBe(4);
    expect(twin.json.error.code).toBe('SERVER_NAME_EXISTS');
    expect((await cli('server', 'create', 'web', '--flavor', 'f1', '--project', 'demo', '--config-file', conf)).code).toBe(0);
    expect((await cli('server', 'list', '--all-projects')).json.servers).toHaveLength(2);
  });
});
