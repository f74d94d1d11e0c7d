/**
 * Compute API microversions: what a request asked for (either header, `latest`, or 2.1 when it
 * names none), refused with 406 outside [MIN, MAX] and 400 when malformed, and echoed on every
 * compute response in both spellings with `Vary`.
 */
import { InvalidInputError, NovaliteError } from '../errors';

export const MIN_VERSION = '2.1';
/** The highest microversion whose behaviour is implemented completely (what clients negotiate to). */
export const MAX_VERSION = '2.92';

export class Microversion {
  constructor(readonly major: number, readonly minor: number) {}

  static parse(text: string): Microversion {
    const m = /^(\d+)\.(\d+)$/.exec(text.trim());
    if (!m) throw new InvalidInputError(`Version ${JSON.stringify(text)} is not a microversion like 2.47.`, { code: 'INVALID_MICROVERSION' });
    return new Microversion(Number(m[1]), Number(m[2]));
  }

  compare(other: Microversion | string): number {
    const o = typeof other === 'string' ? Microversion.parse(other) : other;
    return this.major - o.major || this.minor - o.minor;
  }

  /** True when this request's version is at least `v` (`mv.gte('2.47')`). */
  gte(v: string): boolean { return this.compare(v) >= 0; }
  lt(v: string): boolean { return this.compare(v) < 0; }
  /** Within [min, max] (either end open when undefined). */
  within(min?: string, max?: string): boolean { return (!min || this.gte(min)) && (!max || this.compare(max) <= 0); }

  toString(): string { return `${this.major}.${this.minor}`; }
}

export const MIN = Microversion.parse(MIN_VERSION);
export const MAX = Microversion.parse(MAX_VERSION);

export class VersionNotAcceptable extends NovaliteError {
  constructor(v: string) {
    super('VERSION_NOT_ACCEPTABLE', 'usage', `Version ${v} is not supported by the API. Minimum is ${MIN_VERSION} and maximum is ${MAX_VERSION}.`);
  }
}

/** The compute version a request asks for, from `OpenStack-API-Version: compute X` or the legacy header. */
export function requestedVersion(headers: Record<string, string | string[] | undefined>): Microversion {
  const one = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h);
  let text: string | undefined;
  const modern = one(headers['openstack-api-version']);
  if (modern) {
    for (const part of modern.split(',')) {
      const [service, version] = part.trim().split(/\s+/);
      if (service?.toLowerCase() === 'compute' && version) text = version;
    }
  }
  text ??= one(headers['x-openstack-nova-api-version']);
  if (!text) return MIN;
  if (text.trim().toLowerCase() === 'latest') return MAX;
  const v = Microversion.parse(text);
  if (v.compare(MIN) < 0 || v.compare(MAX) > 0) throw new VersionNotAcceptable(v.toString());
  return v;
}

export function versionHeaders(v: Microversion): Record<string, string> {
  return {
    'OpenStack-API-Version': `compute ${v}`,
    'X-OpenStack-Nova-API-Version': v.toString(),
    Vary: 'OpenStack-API-Version, X-OpenStack-Nova-API-Version',
  };
}
