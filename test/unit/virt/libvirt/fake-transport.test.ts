import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PassThrough, Readable } from 'stream';
import { FakeTransport } from '../../../../src/virt/libvirt/ssh/fake-transport';
import { sh } from '../../../../src/virt/libvirt/ssh/quote';

describe('FakeTransport', () => {
  it('records commands and stdin, and answers 0/empty by default', async () => {
    const t = new FakeTransport();
    const r = await t.exec(sh('virsh', 'list'), { stdin: 'hello', timeoutMs: 5 });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    await t.exec('true');
    expect(t.commands()).toEqual(['virsh list', 'true']);
    expect(t.execs[0]).toEqual({ command: 'virsh list', stdin: 'hello', timeoutMs: 5 });
    expect(t.execs[1].stdin).toBeUndefined();
  });

  it('answers from regex, substring and predicate rules; the latest matching rule wins', async () => {
    const t = new FakeTransport()
      .on(/^virsh domstate/, { stdout: 'running\n' })
      .on('qemu-img', { code: 1, stderr: 'boom' })
      .on((cmd, stdin) => stdin === 'x', { stdout: 'stdin was x' });
    expect((await t.exec('virsh domstate vm1')).stdout).toBe('running\n');
    expect(await t.exec('qemu-img info /a')).toEqual({ code: 1, stdout: '', stderr: 'boom' });
    expect((await t.exec('cat', { stdin: 'x' })).stdout).toBe('stdin was x');
    t.on(/^virsh domstate/, { stdout: 'shut off\n' });
    expect((await t.exec('virsh domstate vm1')).stdout).toBe('shut off\n');
  });

  it('calls function responders with the command and stdin, and lets them throw', async () => {
    const t = new FakeTransport();
    t.on(/^echo /, (cmd) => ({ stdout: `${cmd.slice(5)}\n` }));
    t.on(/^fail/, () => {
      throw new Error('scripted failure');
    });
    t.on(/^async/, async (_cmd, stdin) => ({ code: 3, stdout: stdin ?? '' }));
    expect((await t.exec('echo hi')).stdout).toBe('hi\n');
    await expect(t.exec('fail now')).rejects.toThrow('scripted failure');
    expect(await t.exec('async', { stdin: Buffer.from('buf') })).toEqual({ code: 3, stdout: 'buf', stderr: '' });
  });

  it('honours once/times and then falls back to earlier rules or the default', async () => {
    const t = new FakeTransport().on(/x/, { code: 2 });
    t.once(/x/, { code: 7 });
    expect((await t.exec('x')).code).toBe(7);
    expect((await t.exec('x')).code).toBe(2);
    const u = new FakeTransport().on(/y/, { code: 5 }, { times: 2 });
    expect([(await u.exec('y')).code, (await u.exec('y')).code, (await u.exec('y')).code]).toEqual([5, 5, 0]);
  });

  it('does not alternate on /g regexes', async () => {
    const t = new FakeTransport().on(/z/g, { code: 9 });
    expect([(await t.exec('z')).code, (await t.exec('z')).code]).toEqual([9, 9]);
  });

  it('keeps files for writeFile/readFile/upload and records writes', async () => {
    const t = new FakeTransport();
    expect(await t.readFile('/nope')).toBeNull();
    await t.writeFile('/etc/a.xml', '<domain/>', { mode: 0o600 });
    expect((await t.readFile('/etc/a.xml'))?.toString()).toBe('<domain/>');
    expect(t.fileText('/etc/a.xml')).toBe('<domain/>');
    const local = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fake-t-')), 'disk.img');
    fs.writeFileSync(local, Buffer.from([0, 1, 2, 255]));
    await t.upload(local, '/var/disk.img');
    expect([...(await t.readFile('/var/disk.img'))!]).toEqual([0, 1, 2, 255]);
    expect(t.writes.map((w) => [w.path, w.via, w.mode])).toEqual([['/etc/a.xml', 'writeFile', 0o600], ['/var/disk.img', 'upload', undefined]]);
    expect(t.writes[1].localPath).toBe(local);
    await expect(t.upload(`${local}.missing`, '/x')).rejects.toThrow(/ENOENT/);
    fs.rmSync(path.dirname(local), { recursive: true, force: true });
  });

  it('returns copies, so a caller mutating a buffer does not change the host file', async () => {
    const t = new FakeTransport();
    const data = Buffer.from('abc');
    await t.writeFile('/f', data);
    data[0] = 0x7a;
    const read = (await t.readFile('/f'))!;
    read[1] = 0x7a;
    expect(t.fileText('/f')).toBe('abc');
  });

  it('pipe reads the input stream as stdin and writes stdout to the output stream', async () => {
    const t = new FakeTransport().on(/^tar c/, { stdout: 'TARDATA' }).on(/^tar x/, (_c, stdin) => ({ code: stdin === 'TARDATA' ? 0 : 1 }));
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const r1 = await t.pipe('tar c dir', { output: out });
    expect(r1).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(Buffer.concat(chunks).toString()).toBe('TARDATA');
    const r2 = await t.pipe('tar x', { input: Readable.from([Buffer.from('TAR'), Buffer.from('DATA')]) });
    expect(r2.code).toBe(0);
    expect(t.execs[1]).toMatchObject({ command: 'tar x', stdin: 'TARDATA', piped: true });
  });

  it('counts close() and reset() forgets records but keeps rules and files unless asked', async () => {
    const t = new FakeTransport().on(/a/, { code: 4 });
    await t.writeFile('/f', 'x');
    await t.exec('a');
    t.close();
    expect(t.closeCount).toBe(1);
    t.reset();
    expect(t.commands()).toEqual([]);
    expect(t.writes).toEqual([]);
    expect((await t.exec('a')).code).toBe(4);
    expect(t.fileText('/f')).toBe('x');
    t.reset({ rules: true, files: true });
    expect((await t.exec('a')).code).toBe(0);
    expect(await t.readFile('/f')).toBeNull();
  });
});
