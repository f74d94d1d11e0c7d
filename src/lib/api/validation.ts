/**
 * Request bodies validated against JSON Schema per microversion, as Nova's v2.1 does: one ajv
 * instance, schemas compiled once, the schema chosen by the request's version. The error says
 * which field is wrong, never echoing large values back.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { InvalidInputError } from '../errors';
import type { Microversion } from './microversion';
import type { VersionedSchema } from './types';

const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false, useDefaults: false });
const cache = new WeakMap<Record<string, unknown>, ValidateFunction>();

function compiled(schema: Record<string, unknown>): ValidateFunction {
  let v = cache.get(schema);
  if (!v) { v = ajv.compile(schema); cache.set(schema, v); }
  return v;
}

function describe(e: ErrorObject): string {
  const where = e.instancePath ? `'${e.instancePath.slice(1).replace(/\//g, '.')}'` : 'the body';
  if (e.keyword === 'additionalProperties') return `Additional properties are not allowed ('${String((e.params as { additionalProperty: string }).additionalProperty).slice(0, 80)}' was unexpected) in ${where}.`;
  if (e.keyword === 'required') return `'${(e.params as { missingProperty: string }).missingProperty}' is a required property of ${where}.`;
  return `${where} ${e.message ?? 'is invalid'}.`;
}

export function schemaFor(schemas: VersionedSchema[], mv: Microversion): VersionedSchema | null {
  return schemas.find((s) => mv.within(s.min, s.max)) ?? null;
}

/** Checks `body` against the schema for `mv`; throws a 400 (InvalidInputError) naming the problem. */
export function validateBody(schemas: VersionedSchema[], mv: Microversion, body: unknown): void {
  const s = schemaFor(schemas, mv);
  if (!s) throw new InvalidInputError(`This request takes no body at microversion ${mv}.`, { code: 'BODY_NOT_ALLOWED' });
  const v = compiled(s.schema);
  if (!v(body)) throw new InvalidInputError(`Invalid input for field/attribute: ${describe((v.errors ?? [])[0] as ErrorObject)}`, { code: 'INVALID_BODY' });
}
