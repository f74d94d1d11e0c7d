/** `image create/list/show/set/unset/delete`: --json shapes (Glance v2 image), the local image store, exit codes, nothing left behind on failure. */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openDb } from '../../src/lib/db/knex';
import { isolatedEnv, runCli } from '../helpers/cli';

jest.setTimeout(60000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('image commands', () => {
  let env: Record<string, string>;
  let dir: string;
  let store: string;
  let adminId: string;
  let disk: Buffer;
  let diskFile: string;
  const cli = (...argv: string[]) => runCli([...argv, '--json'], env);
  const storeEntries = () => (fs.existsSync(store) ? fs.readdirSync(store).sort() : []);
  const ids = async () => (await cli('image', 'list')).json.images.map((i: { id: string }) => i.id).sort();
  const write = (name: string, data: Buffer | string) => { const p = path.join(dir, name); fs.writeFileSync(p, data); return p; };
  const qcow2Header = (backing = 0n) => {
    const h = Buffer.alloc(104);
    h.writeUInt32BE(0x514649fb, 0); h.writeUInt32BE(3, 4); h.writeBigUInt64BE(backing, 8);
    return h;
  };

  beforeAll(async () => {
    env = isolatedEnv();
    dir = fs.mkdtempSync(path.join(env.HOME, 'files-'));
    store = path.join(env.XDG_DATA_HOME, 'novalite', 'images');
    expect((await runCli(['api-db', 'sync'], env)).code).toBe(0);
    expect((await runCli(['db', 'sync'], env)).code).toBe(0);
    adminId = (await cli('project', 'show', 'admin')).json.project.id;
    // Larger than a stream chunk, so hashing over several chunks is exercised.
    disk = randomBytes(1024 * 1024 + 12345);
    diskFile = write('disk.img', disk);
  });

  let cirros: string;
  it('image create copies the file into the store and returns the Glance image object', async () => {
    const r = await cli('image', 'create', 'cirros', '--file', diskFile, '--disk-format', 'raw', '--container-format', 'bare', '--min-disk', '1',
      '--min-ram', '64', '--property', 'architecture=x86_64', '--property', 'hw_machine_type=q35', '--property', 'os_command_line=console=ttyS0 root=/dev/vda',
      '--tag', 'base', '--tag', 'small', '--public');
    expect(r.code).toBe(0);
    cirros = r.json.image.id;
    expect(r.json).toEqual({
      image: {
        id: expect.stringMatching(UUID), name: 'cirros', status: 'active', visibility: 'public', protected: false, os_hidden: false,
        disk_format: 'raw', container_format: 'bare', min_disk: 1, min_ram: 64, size: disk.length, virtual_size: null,
        checksum: createHash('md5').update(disk).digest('hex'), os_hash_algo: 'sha512', os_hash_value: createHash('sha512').update(disk).digest('hex'),
        owner: adminId, tags: ['base', 'small'], created_at: expect.stringMatching(TS), updated_at: expect.stringMatching(TS),
        file: `/v2/images/${cirros}/file`, self: `/v2/images/${cirros}`, schema: '/v2/schemas/image',
        architecture: 'x86_64', hw_machine_type: 'q35', os_command_line: 'console=ttyS0 root=/dev/vda',
      },
    });
    expect(storeEntries()).toEqual([cirros]);
    expect(fs.readFileSync(path.join(store, cirros)).equals(disk)).toBe(true);
  });

  it('defaults: raw, bare, public, 0 minimums, no tags, a generated id', async () => {
    const r = await cli('image', 'create', 'plain', '--file', write('plain.img', 'hello'));
    expect(r.code).toBe(0);
    expect(r.json.image).toMatchObject({ disk_format: 'raw', container_format: 'bare', visibility: 'public', min_disk: 0, min_ram: 0, tags: [], size: 5,
      checksum: '5d41402abc4b2a76b9719d911017c592', protected: false });
  });

  it('a missing file exits 2 and leaves no row and nothing in the store', async () => {
    const before = { rows: await ids(), files: storeEntries() };
    const r = await cli('image', 'create', 'ghost', '--file', path.join(dir, 'nope.img'));
    expect(r.code).toBe(2);
    expect(r.json.error.code).toBe('IMAGE_FILE_UNREADABLE');
    const d = await cli('image', 'create', 'ghost', '--file', dir);
    expect(d.code).toBe(2);
    expect({ rows: await ids(), files: storeEntries() }).toEqual(before);
    expect((await cli('image', 'show', 'ghost')).code).toBe(3);
  });

  it('kernel_id/ramdisk_id must name existing images (exit 3, nothing left behind)', async () => {
    const before = { rows: await ids(), files: storeEntries() };
    const missing = '00000000-0000-4000-8000-000000000000';
    const r = await cli('image', 'create', 'linux', '--file', diskFile, '--property', `kernel_id=${missing}`);
    expect(r.code).toBe(3);
    expect(r.json.error.code).toBe('IMAGE_NOT_FOUND');
    expect((await cli('image', 'create', 'linux', '--file', diskFile, '--property', 'ramdisk_id=not-an-id')).code).toBe(3);
    expect({ rows: await ids(), files: storeEntries() }).toEqual(before);
    const k = await cli('image', 'create', 'vmlinuz', '--file', write('vmlinuz', 'kernel'), '--disk-format', 'aki', '--container-format', 'aki');
    expect(k.code).toBe(0);
    const ok = await cli('image', 'create', 'linux', '--file', diskFile, '--property', `kernel_id=${k.json.image.id.toUpperCase()}`);
    expect(ok.code).toBe(0);
    expect(ok.json.image.kernel_id).toBe(k.json.image.id);
  });

  it.each([
    ['an unknown --disk-format', ['--disk-format', 'floppy']],
    ['an unknown --container-format', ['--container-format', 'zip']],
    ['aki with a bare container', ['--disk-format', 'aki']],
    ['a negative --min-disk', ['--min-disk', '-1']],
    ['a --min-ram that is not a number', ['--min-ram', 'lots']],
    ['a reserved property', ['--property', 'name=other']],
    ['a property without =', ['--property', 'novalue']],
    ['an --id that is not a UUID', ['--id', 'my-image']],
    ['--public with --private', ['--public', '--private']],
    ['no --file', null],
  ])('image create with %s exits 2 and creates nothing', async (_what, flags) => {
    const before = { rows: await ids(), files: storeEntries() };
    const r = await cli('image', 'create', 'bad', ...(flags ? ['--file', diskFile, ...flags] : []));
    expect(r.code).toBe(2);
    expect(r.json.error).toHaveProperty('message');
    expect({ rows: await ids(), files: storeEntries() }).toEqual(before);
  });

  it('qcow2 data must be declared qcow2 and must not have a backing file (exit 2)', async () => {
    const before = { rows: await ids(), files: storeEntries() };
    const q = write('q.qcow2', Buffer.concat([qcow2Header(), randomBytes(1000)]));
    const raw = await cli('image', 'create', 'sneaky', '--file', q);
    expect(raw.code).toBe(2);
    expect(raw.json.error.code).toBe('IMAGE_FORMAT_MISMATCH');
    const backed = await cli('image', 'create', 'backed', '--file', write('b.qcow2', qcow2Header(512n)), '--disk-format', 'qcow2');
    expect(backed.code).toBe(2);
    expect(backed.json.error.code).toBe('IMAGE_UNSAFE');
    expect({ rows: await ids(), files: storeEntries() }).toEqual(before);
    expect((await cli('image', 'create', 'good', '--file', q, '--disk-format', 'qcow2')).code).toBe(0);
  });

  it('--id sets the id; a taken id (even of a deleted image) exits 4', async () => {
    const id = '6f1c7a52-3d0e-4b8f-9a61-2c5e8d9b0a13';
    const r = await cli('image', 'create', 'fixed', '--file', diskFile, '--id', id.toUpperCase(), '--private');
    expect(r.code).toBe(0);
    expect(r.json.image).toMatchObject({ id, visibility: 'private' });
    const dup = await cli('image', 'create', 'fixed2', '--file', diskFile, '--id', id);
    expect(dup.code).toBe(4);
    expect(dup.json.error.code).toBe('IMAGE_EXISTS');
  });

  it('image list: every image by name, --public/--private, --name', async () => {
    const r = await cli('image', 'list');
    expect(r.code).toBe(0);
    expect(Object.keys(r.json)).toEqual(['images']);
    expect(r.json.images.map((i: { name: string }) => i.name)).toEqual(['cirros', 'fixed', 'good', 'linux', 'plain', 'vmlinuz']);
    expect(r.json.images.find((i: { id: string }) => i.id === cirros)).toEqual((await cli('image', 'show', cirros)).json.image);
    expect((await cli('image', 'list', '--private')).json.images.map((i: { name: string }) => i.name)).toEqual(['fixed']);
    expect((await cli('image', 'list', '--public')).json.images).toHaveLength(5);
    expect((await cli('image', 'list', '--name', 'cirros')).json.images.map((i: { id: string }) => i.id)).toEqual([cirros]);
    expect((await cli('image', 'list', '--public', '--private')).code).toBe(2);
  });

  it('image show by id or name; unknown exits 3; a name shared by several images exits 4', async () => {
    const byId = await cli('image', 'show', cirros);
    expect(byId.code).toBe(0);
    expect((await cli('image', 'show', 'cirros')).json).toEqual(byId.json);
    const nf = await cli('image', 'show', 'nothing');
    expect(nf.code).toBe(3);
    expect(nf.json.error.code).toBe('IMAGE_NOT_FOUND');
    expect((await cli('image', 'show', '00000000-0000-4000-8000-000000000000')).code).toBe(3);
    const twin = await cli('image', 'create', 'cirros', '--file', diskFile);
    expect(twin.code).toBe(0);
    const amb = await cli('image', 'show', 'cirros');
    expect(amb.code).toBe(4);
    expect(amb.json.error.code).toBe('IMAGE_AMBIGUOUS');
    expect(amb.json.error.details.ids.sort()).toEqual([cirros, twin.json.image.id].sort());
    expect((await cli('image', 'delete', twin.json.image.id)).code).toBe(0);
    expect((await cli('image', 'show', 'cirros')).code).toBe(0);
  });

  it('image set changes name, properties, minimums, visibility, protection and tags', async () => {
    const r = await cli('image', 'set', cirros, '--name', 'cirros-0.6', '--property', 'hw_machine_type=pc', '--property', 'hypervisor_type=qemu',
      '--min-disk', '2', '--min-ram', '128', '--private', '--protected', '--tag', 'extra');
    expect(r.code).toBe(0);
    expect(r.json.image).toMatchObject({ name: 'cirros-0.6', hw_machine_type: 'pc', hypervisor_type: 'qemu', architecture: 'x86_64', min_disk: 2,
      min_ram: 128, visibility: 'private', protected: true, tags: ['base', 'small', 'extra'], checksum: createHash('md5').update(disk).digest('hex') });
    expect((await cli('image', 'show', 'cirros-0.6')).json).toEqual(r.json);
  });

  it('image set with a kernel_id of no image exits 3 and changes nothing; set of an unknown image exits 3', async () => {
    const before = (await cli('image', 'show', cirros)).json;
    const r = await cli('image', 'set', cirros, '--property', 'kernel_id=00000000-0000-4000-8000-000000000000', '--name', 'renamed');
    expect(r.code).toBe(3);
    expect((await cli('image', 'show', cirros)).json).toEqual(before);
    expect((await cli('image', 'set', 'ghost', '--name', 'x')).code).toBe(3);
    expect((await cli('image', 'set', cirros, '--protected', '--unprotected')).code).toBe(2);
    expect((await cli('image', 'set', cirros, '--property', 'checksum=abc')).code).toBe(2);
  });

  it('image unset removes properties and tags; a missing one exits 3; no flag exits 2', async () => {
    const r = await cli('image', 'unset', cirros, '--property', 'hypervisor_type', '--tag', 'extra');
    expect(r.code).toBe(0);
    expect(r.json.image).not.toHaveProperty('hypervisor_type');
    expect(r.json.image.tags).toEqual(['base', 'small']);
    expect((await cli('image', 'unset', cirros, '--property', 'hypervisor_type')).code).toBe(3);
    expect((await cli('image', 'unset', cirros, '--tag', 'nope')).code).toBe(3);
    expect((await cli('image', 'unset', cirros)).code).toBe(2);
  });

  it('a protected image cannot be deleted (exit 4); unprotected, delete removes its file and soft-deletes the row', async () => {
    const p = await cli('image', 'delete', cirros);
    expect(p.code).toBe(4);
    expect(p.json.error.code).toBe('IMAGE_PROTECTED');
    expect(fs.existsSync(path.join(store, cirros))).toBe(true);
    expect((await cli('image', 'set', cirros, '--unprotected')).code).toBe(0);
    const r = await cli('image', 'delete', cirros);
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ deleted: expect.objectContaining({ id: cirros, name: 'cirros-0.6', status: 'deleted' }) });
    expect(fs.existsSync(path.join(store, cirros))).toBe(false);
    expect((await cli('image', 'show', cirros)).code).toBe(3);
    expect((await cli('image', 'delete', cirros)).code).toBe(3);
    const db = openDb(`sqlite://${path.join(env.XDG_DATA_HOME, 'novalite', 'novalite_api.sqlite')}`, { setting: 'test' });
    try {
      const row = await db.knex('images').where({ id: cirros }).first();
      expect(row).toMatchObject({ status: 'deleted', deleted_at: expect.stringMatching(TS), location: null });
    } finally { await db.close(); }
    expect((await cli('image', 'create', 'again', '--file', diskFile, '--id', cirros)).code).toBe(4);
    expect(storeEntries().filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('human output: list is a table, show prints the properties', async () => {
    const l = await runCli(['image', 'list', '--long'], env);
    expect(l.code).toBe(0);
    expect(l.stdout.split('\n')[0]).toMatch(/^ID\s+Name\s+Disk Format\s+Container Format\s+Size\s+Checksum\s+Status\s+Visibility\s+Protected\s+Project\s+Tags$/);
    expect(l.stdout).toMatch(/\svmlinuz\s+aki\s+aki\s+6\s+[0-9a-f]{32}\s+active\s+public\s+false\s/);
    const s = await runCli(['image', 'show', 'linux'], env);
    expect(s.stdout).toMatch(/^properties\s+kernel_id='[0-9a-f-]{36}'$/m);
  });
});
