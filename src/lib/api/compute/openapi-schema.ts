/**
 * JSON Schema (as the request validators use it) to OpenAPI 3.0 Schema Objects: 3.0 has no
 * `null` type and no type lists, so `['string', 'null']` becomes `nullable`, other lists become
 * `anyOf`, and `{type: 'null'}` (a body such as `{"force_complete": null}`) a nullable enum.
 */

type Schema = Record<string, unknown>;

const isObj = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

export function toOas30(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(toOas30);
  if (!isObj(s)) return s;
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'properties' || k === 'patternProperties' || k === 'definitions') {
      out[k] = Object.fromEntries(Object.entries(v as Schema).map(([p, sub]) => [p, toOas30(sub)]));
    } else if (['items', 'additionalProperties', 'not'].includes(k) || ['anyOf', 'oneOf', 'allOf'].includes(k)) {
      out[k] = toOas30(v);
    } else if (k !== 'type' && k !== '$schema') {
      out[k] = v;
    }
  }
  const type = s.type;
  if (type === 'null') return { ...out, nullable: true, enum: [null] };
  if (Array.isArray(type)) {
    const real = type.filter((t) => t !== 'null');
    if (real.length < type.length) out.nullable = true;
    if (real.length === 1) out.type = real[0];
    else if (real.length > 1) out.anyOf = real.map((t) => ({ type: t }));
  } else if (type !== undefined) {
    out.type = type;
  }
  if (Array.isArray(out.enum) && out.enum.includes(null)) out.nullable = true;
  return out;
}
