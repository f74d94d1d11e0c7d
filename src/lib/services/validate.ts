/** Input checks shared by services: names, sizes and key=value properties. */
import { InvalidInputError } from '../errors';

export function checkName(kind: string, name: unknown, flag = '--name'): string {
  if (typeof name !== 'string' || name.trim() === '' || name.length > 255) {
    throw new InvalidInputError(`A ${kind} name must be 1 to 255 characters long.`, { hint: `Give a ${flag} of 1 to 255 characters.` });
  }
  if (name !== name.trim()) throw new InvalidInputError(`A ${kind} name must not start or end with whitespace.`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new InvalidInputError(`A ${kind} name must not contain control characters.`);
  return name;
}

/** Host names reach shells and XML later: keep them to DNS-like characters. */
export function checkHostName(name: unknown): string {
  if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/.test(name)) {
    throw new InvalidInputError(`Invalid host name ${JSON.stringify(name)}: use letters, digits, '.', '_' and '-' (at most 255).`);
  }
  return name;
}

export function checkInt(label: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new InvalidInputError(`${label} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}.`);
  }
  return v;
}

export function checkRatio(label: string, v: unknown): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 1000) {
    throw new InvalidInputError(`${label} must be a number above 0 and at most 1000, got ${JSON.stringify(v)}.`);
  }
  return v;
}

/** Parses `k=v` pairs (repeatable --property flags). */
export function parseProperties(pairs: string[] | undefined, flag = '--property'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new InvalidInputError(`${flag} ${JSON.stringify(p)} is not KEY=VALUE.`, { hint: `Write ${flag} key=value.` });
    const k = p.slice(0, eq);
    const v = p.slice(eq + 1);
    if (k.length > 255 || v.length > 255) throw new InvalidInputError(`${flag} keys and values must be at most 255 characters.`);
    out[k] = v;
  }
  return out;
}
