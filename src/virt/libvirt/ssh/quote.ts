/**
 * The one place a value becomes part of a remote shell command. Every argument goes through
 * `shq`; `sh` joins words into a command line. Nothing else in the driver builds command text.
 */

/** Quotes one argument for a POSIX shell: safe for any string, including quotes, `$()`, newlines. */
export function shq(arg: string | number): string {
  const s = String(arg);
  if (s.includes('\0')) throw new TypeError('A shell argument cannot contain a NUL byte.');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A command line from words, each quoted: sh('virsh', 'start', name). */
export function sh(...words: Array<string | number>): string {
  return words.map(shq).join(' ');
}
