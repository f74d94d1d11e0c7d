/**
 * Just enough IP arithmetic for SimpleCIDRAffinityFilter and hint validation: parse an IPv4 or
 * IPv6 address to a number and test membership in a prefix, without a dependency.
 */

export interface IpAddress {
  version: 4 | 6;
  value: bigint;
}

function parseV4(s: string): bigint | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    v = (v << 8n) | BigInt(Number(p));
  }
  return v;
}

function parseV6(s: string): bigint | null {
  let text = s;
  let tail: bigint[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    // An embedded IPv4 tail ("::ffff:10.0.0.1") counts as two groups.
    const v4 = parseV4(text.slice(lastColon + 1));
    if (v4 === null) return null;
    tail = [v4 >> 16n, v4 & 0xffffn];
    const head = text.slice(0, lastColon + 1);
    text = head.endsWith('::') ? head : head.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const group = (h: string) => (h === '' ? [] : h.split(':'));
  const head = group(halves[0]);
  const rest = halves.length === 2 ? group(halves[1]) : [];
  const groups: bigint[] = [];
  for (const g of [...head, ...rest]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    groups.push(BigInt(parseInt(g, 16)));
  }
  const want = 8 - tail.length;
  if (halves.length === 1 ? groups.length !== want : groups.length >= want) return null;
  const zeros = halves.length === 2 ? want - groups.length : 0;
  const all = [...groups.slice(0, head.length), ...Array<bigint>(zeros).fill(0n), ...groups.slice(head.length), ...tail];
  return all.reduce((acc, g) => (acc << 16n) | g, 0n);
}

export function parseIp(s: string): IpAddress | null {
  if (typeof s !== 'string' || s === '') return null;
  if (s.includes(':')) {
    const v = parseV6(s);
    return v === null ? null : { version: 6, value: v };
  }
  const v = parseV4(s);
  return v === null ? null : { version: 4, value: v };
}

/** A network test prepared once: `contains(ip)` per host. */
export function cidrContains(base: IpAddress, prefix: number): (ip: string | undefined) => boolean {
  const bits = base.version === 4 ? 32 : 128;
  const shift = BigInt(bits - prefix);
  const net = base.value >> shift;
  return (ip) => {
    if (ip === undefined) return false;
    const a = parseIp(ip);
    return a !== null && a.version === base.version && a.value >> shift === net;
  };
}
