/**
 * Hypervisor version helpers for ImagePropertiesFilter: Nova stores versions as integers
 * (major × 1,000,000 + minor × 1,000 + patch) and images ask with a predicate such as
 * ">=6.0,<7.0" (img_hv_requested_version).
 */

export function versionFromInt(v: number): number[] {
  return [Math.floor(v / 1_000_000), Math.floor(v / 1000) % 1000, v % 1000];
}

function cmp(a: number[], b: number[]): number {
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    const d = (a[k] ?? 0) - (b[k] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const TERM = /^(<=|>=|==|!=|<|>)?\s*(\d+(?:\.\d+)*)$/;

/** Compiles a predicate; returns null when it does not parse. A bare version means "==". */
export function compileVersionPredicate(text: string): ((v: number[]) => boolean) | null {
  const terms: Array<[string, number[]]> = [];
  for (const raw of text.replace(/^\(|\)$/g, '').split(',')) {
    const m = TERM.exec(raw.trim());
    if (m === null) return null;
    terms.push([m[1] ?? '==', m[2].split('.').map(Number)]);
  }
  return (v) =>
    terms.every(([op, want]) => {
      const d = cmp(v, want);
      switch (op) {
        case '<': return d < 0;
        case '<=': return d <= 0;
        case '>': return d > 0;
        case '>=': return d >= 0;
        case '!=': return d !== 0;
        default: return d === 0;
      }
    });
}
