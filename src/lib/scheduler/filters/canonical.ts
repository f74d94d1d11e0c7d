/**
 * Nova's canonical spellings of architecture, hypervisor type and VM mode (objects/fields.py
 * canonicalize), so an image saying "amd64" or "hv" matches a host saying "x86_64" or "hvm".
 */

const ARCH: Record<string, string> = { i386: 'i686', i486: 'i686', i586: 'i686', x86_32: 'i686', x86_32p: 'i686', amd64: 'x86_64' };
const HV_TYPE: Record<string, string> = { xapi: 'xen' };
const VM_MODE: Record<string, string> = { pv: 'xen', hv: 'hvm', baremetal: 'hvm' };

function canon(v: string | string[] | undefined, aliases: Record<string, string>): string | null {
  const s = Array.isArray(v) ? v[0] : v;
  if (!s) return null;
  const lower = s.toLowerCase();
  return aliases[lower] ?? lower;
}

export const canonicalArch = (v: string | string[] | undefined) => canon(v, ARCH);
export const canonicalHvType = (v: string | string[] | undefined) => canon(v, HV_TYPE);
export const canonicalVmMode = (v: string | string[] | undefined) => canon(v, VM_MODE);

/** Whether one [arch, hv type, vm mode] triple contains every wanted value (Nova compares membership). */
export function supportsAll(supported: ReadonlyArray<readonly [string, string, string]>, wanted: readonly string[]): boolean {
  for (const t of supported) {
    let ok = true;
    for (const w of wanted) if (t[0] !== w && t[1] !== w && t[2] !== w) ok = false;
    if (ok) return true;
  }
  return false;
}
