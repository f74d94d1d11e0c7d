/**
 * Nova's JsonFilter query language: a prefix expression as JSON, e.g.
 *   ["and", [">=", "$free_ram_mb", 1024], ["in", "$hypervisor_type", "kvm", "qemu"]]
 * Operators: = < > <= >= (first argument against every other), in (first among the rest),
 * not (negates each argument, giving a list), or, and. "$name.key" looks a host value up by its
 * Nova attribute name; a lookup that finds nothing (or an empty string) is dropped from the
 * argument list, as Nova does. Truthiness is Python's (an empty list is false). The query is
 * parsed and checked once per request; compile() returns the per-host evaluator.
 */
import { InvalidInputError } from '../../errors';
import { hostValue } from '../host-view';
import type { HostState } from '../types';

type Value = unknown;
type Evaluator = (h: HostState) => Value;

const COMPARE = new Set(['=', '<', '>', '<=', '>=', 'in']);
export const JSON_OPERATORS: readonly string[] = [...COMPARE, 'not', 'or', 'and'];

function truthy(v: Value): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v !== null && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

function comparable(v: Value): number | string | undefined {
  if (typeof v === 'boolean') return v ? 1 : 0;
  return typeof v === 'number' || typeof v === 'string' ? v : undefined;
}

/** Python comparison semantics where they are defined; a str/int mix is simply false. */
function compare(op: string, a: Value, b: Value): boolean {
  if (op === '=' || op === 'in') {
    if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
    const x = comparable(a);
    const y = comparable(b);
    return x !== undefined && typeof x === typeof y && x === y;
  }
  const x = comparable(a);
  const y = comparable(b);
  if (x === undefined || y === undefined || typeof x !== typeof y) return false;
  switch (op) {
    case '<': return x < y;
    case '>': return x > y;
    case '<=': return x <= y;
    default: return x >= y;
  }
}

function apply(op: string, args: Value[]): Value {
  if (op === 'not') return args.map((a) => !truthy(a));
  if (op === 'or') return args.some(truthy);
  if (op === 'and') return args.every(truthy);
  if (args.length < 2) return false;
  if (op === 'in') return args.slice(1).some((b) => compare('=', args[0], b));
  for (let k = 1; k < args.length; k++) if (!compare(op, args[0], args[k])) return false;
  return true;
}

function compileArg(arg: unknown, where: string): Evaluator {
  if (Array.isArray(arg)) return compileNode(arg, where);
  if (typeof arg === 'string') {
    if (arg === '') return () => undefined;
    if (!arg.startsWith('$')) return () => arg;
    const path = arg.slice(1).split('.');
    return (h) => hostValue(h, path);
  }
  return () => (arg === null ? undefined : arg);
}

function compileNode(query: unknown[], where: string): Evaluator {
  if (query.length === 0) return () => true;
  const op = query[0];
  if (typeof op !== 'string' || !JSON_OPERATORS.includes(op)) {
    throw new InvalidInputError(
      `Scheduler hint "query" has an unknown operator ${JSON.stringify(op)} at ${where}.`,
      { hint: `Use one of: ${JSON_OPERATORS.join(' ')}.` },
    );
  }
  const args = query.slice(1).map((a, k) => compileArg(a, `${where}[${k + 1}]`));
  return (h) => {
    const cooked: Value[] = [];
    for (const ev of args) {
      const v = ev(h);
      if (v !== undefined) cooked.push(v);
    }
    return apply(op, cooked);
  };
}

/** Parses and checks a query string; throws InvalidInputError (exit 2) on bad JSON or grammar. */
export function compileQuery(text: string): (h: HostState) => boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new InvalidInputError(`Scheduler hint "query" is not valid JSON: ${(e as Error).message}`, {
      hint: 'Example: --hint query=\'[">=", "$free_ram_mb", 1024]\'',
    });
  }
  if (!Array.isArray(parsed)) {
    throw new InvalidInputError('Scheduler hint "query" must be a JSON list such as [">=", "$free_ram_mb", 1024].');
  }
  const ev = compileNode(parsed, 'query');
  return (h) => {
    const r = ev(h);
    return Array.isArray(r) ? r.some(truthy) : truthy(r);
  };
}
