/** ImagesService on a throwaway SQLite API DB: upload/download, failure clean-up, visibility per project, the driver's ImageRef. */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { ManualClock } from '../../../src/lib/clock';
import { Context } from '../../../src/lib/context';

describe('ImagesService', () => {
  let state: string;
  let ctx: Context;
  const store = () => path.join(state, 'images');
  const entries = () => (fs.existsSync(store()) ? fs.readdirSync(store()).sort() : []);

  beforeAll(async () => {
    state = fs.mkdtempSync(path.join(os.tmpdir(), 'nl-images-'));
    ctx = new Context({ env: { NOVALITE_STATE_PATH: state, HOME: state }, searchPaths: [], clock: new ManualClock() });
    await ctx.stores.sync(ctx.stores.apiDb(), 'api');
  });
  afterAll(async () => {
    await ctx.close();
    fs.rmSync(state, { recursive: true, force: true });
  });

  it('create without a file queues the image; uploadData streams it in and makes it active', async () => {
    const img = await ctx.images.create({ name: 'later', owner: 'p1' });
    expect(img).toMatchObject({ status: 'queued', size: null, checksum: null, path: null });
    const data = Buffer.from('abc'.repeat(50000));
    const up = await ctx.images.uploadData(img.id, Readable.from([data.subarray(0, 70000), data.subarray(70000)]));
    expect(up).toMatchObject({ status: 'active', size: data.length, checksum: createHash('md5').update(data).digest('hex'), osHashAlgo: 'sha512',
      path: path.join(store(), img.id) });
    const down = await ctx.images.download(img.id);
    const chunks: Buffer[] = [];
    for await (const c of down.stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    await expect(ctx.images.uploadData(img.id, Readable.from([Buffer.from('x')]))).rejects.toMatchObject({ code: 'IMAGE_NOT_QUEUED', exitCode: 4 });
  });

  it('an upload that fails half-way leaves the image queued and no file, temporary or not', async () => {
    const img = await ctx.images.create({ name: 'broken', owner: 'p1' });
    const before = entries();
    async function* failing() { yield Buffer.alloc(100000, 1); throw new Error('client went away'); }
    await expect(ctx.images.uploadData(img.id, Readable.from(failing()))).rejects.toMatchObject({ code: 'IMAGE_UPLOAD_FAILED', exitCode: 2 });
    expect(entries()).toEqual(before);
    expect(await ctx.images.get(img.id)).toMatchObject({ status: 'queued', path: null });
    await expect(ctx.images.download(img.id)).rejects.toMatchObject({ code: 'IMAGE_NOT_ACTIVE' });
  });

  it('private images are visible only to their owner project when a projectId is given', async () => {
    const file = path.join(state, 'f.img');
    fs.writeFileSync(file, 'data');
    const mine = await ctx.images.create({ name: 'mine', owner: 'p1', file, visibility: 'private' });
    await ctx.images.create({ name: 'pub', owner: 'p2', file });
    const seenByP2 = (await ctx.images.list({ projectId: 'p2' })).map((i) => i.name);
    expect(seenByP2).toContain('pub');
    expect(seenByP2).not.toContain('mine');
    expect((await ctx.images.list({ projectId: 'p1' })).map((i) => i.name)).toEqual(expect.arrayContaining(['mine', 'pub']));
    await expect(ctx.images.get(mine.id, 'p2')).rejects.toMatchObject({ exitCode: 3 });
    await expect(ctx.images.delete('mine', 'p2')).rejects.toMatchObject({ exitCode: 3 });
    expect((await ctx.images.get('mine', 'p1')).id).toBe(mine.id);
    expect((await ctx.images.list()).map((i) => i.name)).toContain('mine');
  });

  it('toImageRef gives the driver what it needs, as a plain copy', async () => {
    const img = await ctx.images.get('pub');
    const ref = ctx.images.toImageRef(img);
    expect(ref).toEqual({ id: img.id, name: 'pub', checksum: img.checksum, size: 4, diskFormat: 'raw', properties: {}, path: path.join(store(), img.id) });
    ref.properties.x = 'y';
    expect(img.properties).toEqual({});
  });
});
