/**
 * Nova's extra-spec operator language, shared by ComputeCapabilitiesFilter and
 * AggregateInstanceExtraSpecsFilter. A requirement is "<op> <operand>…" matched against a host
 * value (always a string here, as Nova matches str(value)):
 *
 *   =  v     host >= v, numerically (yes: "=" means "at least")
 *   == v, != v, >= v, <= v            numeric comparisons
 *   s== v, s!= v, s< v, s<= v, s> v, s>= v   string comparisons
 *   <in> v        v is a substring of the host value
 *   <all-in> a b  every word is a substring of the host value
 *   <or> a <or> b the host value equals one of the words
 *   anything else the whole requirement must equal the host value
 *
 * Requirements are compiled once per request; the returned matcher is what runs per host.
 */

export type Matcher = (value: string | undefined) => boolean;

function num(s: string): number {
  const t = s.trim();
  return t === '' ? NaN : Number(t);
}

/** A value Nova would fail to float() makes the comparison false rather than an error. */
function numeric(cmp: (a: number, b: number) => boolean, operand: string): Matcher {
  const b = num(operand);
  return (v) => {
    if (v === undefined) return false;
    const a = num(v);
    return !Number.isNaN(a) && !Number.isNaN(b) && cmp(a, b);
  };
}

const BINARY: Record<string, (operand: string) => Matcher> = {
  '=': (o) => numeric((a, b) => a >= b, o),
  '==': (o) => numeric((a, b) => a === b, o),
  '!=': (o) => numeric((a, b) => a !== b, o),
  '>=': (o) => numeric((a, b) => a >= b, o),
  '<=': (o) => numeric((a, b) => a <= b, o),
  's==': (o) => (v) => v !== undefined && v === o,
  's!=': (o) => (v) => v !== undefined && v !== o,
  's<': (o) => (v) => v !== undefined && v < o,
  's<=': (o) => (v) => v !== undefined && v <= o,
  's>': (o) => (v) => v !== undefined && v > o,
  's>=': (o) => (v) => v !== undefined && v >= o,
  '<in>': (o) => (v) => v !== undefined && v.includes(o),
};

export const OPERATORS: readonly string[] = [...Object.keys(BINARY), '<all-in>', '<or>'];

export function compileMatcher(req: string): Matcher {
  const words = req.split(/\s+/).filter((w) => w !== '');
  const op = words[0];
  if (op === '<or>') {
    // Nova takes every other word after the operator, so "<or> a <or> b" offers a and b.
    const options = new Set(words.slice(1).filter((_, k) => k % 2 === 0));
    return (v) => v !== undefined && options.has(v);
  }
  if (op === '<all-in>') {
    const needles = words.slice(1);
    return (v) => v !== undefined && needles.length > 0 && needles.every((n) => v.includes(n));
  }
  const make = op === undefined ? undefined : BINARY[op];
  if (make === undefined) return (v) => v === req;
  if (words.length < 2) return () => false;
  return make(words[1]);
}

/** Nova's extra_specs_ops.match(value, req). */
export function match(value: string | undefined, req: string): boolean {
  return compileMatcher(req)(value);
}
