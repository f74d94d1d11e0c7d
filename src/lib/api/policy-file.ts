/** A YAML policy file (as oslo.policy's): rule name → check expression, strings only. */
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { InvalidInputError } from '../errors';

export function readPolicyFile(path: string): Record<string, string> {
  let doc: unknown;
  try {
    doc = YAML.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InvalidInputError(`Cannot read the policy file ${path}: ${(e as Error).message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new InvalidInputError(`The policy file ${path} must map rule names to check strings.`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    if (typeof v !== 'string') throw new InvalidInputError(`Policy rule ${k} in ${path} must be a string such as "role:admin".`);
    out[k] = v;
  }
  return out;
}
