/**
 * On a terminal (a real pseudo-terminal, driven by a few lines of Python): `server create` asks
 * for a missing flavor and image with a list, and `server delete` asks for confirmation.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BIN, isolatedEnv, runCli } from '../helpers/cli';

jest.setTimeout(120000);

/** Runs argv on a pty; for each [expected text, keys] waits for the text, then types the keys. */
const DRIVER = `
import json, os, pty, select, sys, time, fcntl, termios, struct
argv, script = json.loads(sys.argv[1]), json.loads(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 100, 0, 0))
buf = b''
def read(until=None, timeout=30):
    global buf
    end = time.time() + timeout
    while time.time() < end:
        if until is not None and until.encode() in buf: return True
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try: chunk = os.read(fd, 4096)
            except OSError: return False
            if not chunk: return False
            buf += chunk
    return False
for expect, keys in script:
    if not read(expect): break
    buf = buf.replace(expect.encode(), b'<' + expect.encode() + b'>', 1)
    time.sleep(0.2)
    os.write(fd, keys.encode())
read(None, 30)
_, status = os.waitpid(pid, 0)
print(json.dumps({'code': os.waitstatus_to_exitcode(status), 'output': buf.decode('utf8', 'replace')}))
`;

const python = spawnSync('python3', ['-c', 'import pty'], { encoding: 'utf8' }).status === 0;

describe('server commands on a terminal', () => {
  let env: Record<string, string>;
  let tty: (argv: string[], script: Array<[string, string]>) => { code: number; output: string };
  const cli = (...argv: string[]) => runCli([...argv, '--json'], env);

  beforeAll(async () => {
    env = isolatedEnv();
    for (const argv of [['api-db', 'sync'], ['db', 'sync'], ['cell-v2', 'simple-cell-setup'],
      ['host', 'add', 'h1', '--driver', 'fake', '--vcpus', '8', '--memory-mb', '16896', '--disk-gb', '200'],
      ['flavor', 'create', 'f1', '--vcpus', '1', '--ram', '1024', '--disk', '10'],
      ['flavor', 'create', 'f2', '--vcpus', '2', '--ram', '2048', '--disk', '20']]) {
      expect((await runCli(argv, env)).code).toBe(0);
    }
    const file = path.join(env.HOME, 'cirros.img');
    fs.writeFileSync(file, 'x');
    expect((await runCli(['image', 'create', 'cirros', '--file', file], env)).code).toBe(0);
    const ptyEnv: Record<string, string | undefined> = { ...process.env, ...env, TERM: 'xterm' };
    delete ptyEnv.CI;
    tty = (argv, script) => {
      const r = spawnSync('python3', ['-c', DRIVER, JSON.stringify([process.execPath, BIN, ...argv]), JSON.stringify(script)],
        { env: ptyEnv as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 90000 });
      return JSON.parse(r.stdout);
    };
  });

  (python ? it : it.skip)('create asks for the flavor and the image from lists, then shows progress', async () => {
    // Arrow down picks the second flavor (f2); Enter takes the first image (cirros).
    const r = tty(['server', 'create', 'picked'], [['Flavor', '\u001b[B\r'], ['Image', '\r']]);
    expect(r.output).toContain('cirros');
    expect(r.code).toBe(0);
    expect(r.output).toMatch(/Spawning/);
    const s = (await cli('server', 'show', 'picked')).json.server;
    expect(s).toMatchObject({ status: 'ACTIVE', flavor: { original_name: 'f2' }, image: { id: expect.any(String) } });
  });

  (python ? it : it.skip)('delete asks first: no cancels (exit 130), yes deletes; --yes never asks', async () => {
    const no = tty(['server', 'delete', 'picked'], [['Delete picked', 'n\r']]);
    expect(no.code).toBe(130);
    expect((await cli('server', 'show', 'picked')).code).toBe(0);
    const yes = tty(['server', 'delete', 'picked'], [['Delete picked', 'y\r']]);
    expect(yes.code).toBe(0);
    expect((await cli('server', 'show', 'picked')).code).toBe(3);
    expect((await cli('server', 'create', 'again', '--flavor', 'f1')).code).toBe(0);
    const forced = tty(['server', 'delete', 'again', '--yes'], []);
    expect(forced.code).toBe(0);
    expect(forced.output).toContain('Deleted server again');
  });

  (python ? it : it.skip)('Ctrl-C at a prompt cancels (exit 130) and creates nothing', async () => {
    const r = tty(['server', 'create', 'never'], [['Flavor', '\u0003']]);
    expect(r.code).toBe(130);
    expect((await cli('server', 'show', 'never')).code).toBe(3);
  });

  (python ? it : it.skip)('with --flavor given, only the image is asked for', async () => {
    const r = tty(['server', 'create', 'half', '--flavor', 'f1'], [['Image', '\r']]);
    expect(r.code).toBe(0);
    expect(r.output).not.toContain('Flavor');
    expect((await cli('server', 'show', 'half')).json.server.flavor.original_name).toBe('f1');
  });
});
