// shq/sh against a real POSIX shell: whatever the string, the shell must hand back exactly the
// same bytes as one argument and run nothing.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sh, shq } from '../../../../src/virt/libvirt/ssh/quote';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'novalite-shq-'));
const marker = path.join(dir, 'pwned');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs `printf %s <quoted>` under /bin/sh and returns the raw bytes printed. */
function roundTrip(quoted: string): Buffer {
  return execFileSync('/bin/sh', ['-c', `printf %s ${quoted}`], { cwd: dir });
}

const hostile: Array<[string, string]> = [
  ['command substitution', `$(touch ${marker})`],
  ['backticks', `\`touch ${marker}\``],
  ['single quotes', `it's '${marker}' 'quoted'`],
  ['double quotes and vars', `"$HOME" \${PATH} $0 $$ "\\"`],
  ['newlines', `a\nb\n\ntouch ${marker}\n`],
  ['semicolons and pipes', `x; touch ${marker} | cat && true || false &`],
  ['globs', '* ? [a-z] ~ ~root'],
  ['unicode', 'héllo wörld ✓ 日本語 🚀 \u202e'],
  ['empty string', ''],
  ['leading dash', '-n'],
  ['leading dashes and spaces', '--help me'],
  ['only a quote', "'"],
  ['backslashes', 'a\\b\\\\c\\'],
  ['tabs and CR', 'a\tb\r\nc'],
  ['redirection', `> ${marker} < /etc/passwd 2>&1`],
  ['control bytes', '\x01\x07\x1b[31mred\x7f'],
];

describe('shq through /bin/sh', () => {
  it.each(hostile)('%s comes back byte for byte and runs nothing', (_label, s) => {
    const out = roundTrip(shq(s));
    expect(out.equals(Buffer.from(s, 'utf8'))).toBe(true);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('keeps each word one argument in sh(...)', () => {
    const words = ['a b', '', "c'd", '$(touch x)', '-e'];
    const out = execFileSync('/bin/sh', ['-c', `printf '[%s]' ${sh(...words)}`], { cwd: dir }).toString('utf8');
    expect(out).toBe('[a b][][c\'d][$(touch x)][-e]');
    expect(fs.existsSync(path.join(dir, 'x'))).toBe(false);
  });

  it('leaves plain words unquoted and quotes the empty string', () => {
    expect(shq('virsh')).toBe('virsh');
    expect(shq('/var/lib/novalite/instances/abc-123.xml')).toBe('/var/lib/novalite/instances/abc-123.xml');
    expect(shq(42)).toBe('42');
    expect(shq('')).toBe("''");
    expect(shq('a b')).toBe("'a b'");
  });

  it('refuses a NUL byte, which no shell argument can carry', () => {
    expect(() => shq('a\0b')).toThrow(/NUL/);
    expect(() => sh('ok', 'x\0')).toThrow(TypeError);
  });
});
