/**
 * Which quota keys the quota APIs show and accept at each microversion (Nova's filtering), the
 * legacy resources novalite stores but does not enforce (nova-network's, and personality files),
 * and the request body schemas built from them.
 */
import { QUOTA_DEFAULTS, QUOTA_RESOURCES } from '../../services/quotas';
import type { Microversion } from '../microversion';
import type { VersionedSchema } from '../types';

/** Nova's deprecated nova-network quotas: reported (-1, unlimited) and settable, never enforced. */
export const NETWORK_KEYS = ['fixed_ips', 'floating_ips', 'security_groups', 'security_group_rules'];
/** Personality files: removed from the API at 2.57 (server create dropped personality there). */
export const INJECTED_KEYS = ['injected_files', 'injected_file_content_bytes', 'injected_file_path_bytes'];
export const LEGACY_DEFAULTS: Record<string, number> = {
  fixed_ips: -1, floating_ips: -1, security_groups: -1, security_group_rules: -1,
  injected_files: 5, injected_file_content_bytes: 10240, injected_file_path_bytes: 255,
};
/** Every resource the REST API knows, in Nova's order. */
export const ALL_KEYS = [...QUOTA_RESOURCES, ...Object.keys(LEGACY_DEFAULTS)];
export const SERVER_GROUP_KEYS = ['server_groups', 'server_group_members'];

/** The keys a quota-set response carries at `mv`: network keys go at 2.36, injected files at 2.57. */
export function quotaSetKeys(mv: Microversion): string[] {
  const drop = [...(mv.gte('2.36') ? NETWORK_KEYS : []), ...(mv.gte('2.57') ? INJECTED_KEYS : [])];
  return ALL_KEYS.filter((k) => !drop.includes(k));
}

/** Quota classes: server group keys only from 2.50, when network keys go; injected files go at 2.57. */
export function quotaClassKeys(mv: Microversion): string[] {
  const drop = mv.gte('2.50') ? [...NETWORK_KEYS, ...(mv.gte('2.57') ? INJECTED_KEYS : [])] : SERVER_GROUP_KEYS;
  return ALL_KEYS.filter((k) => !drop.includes(k));
}

/** Limits with the legacy resources at their defaults where nothing is stored. */
export function withLegacy(limits: Record<string, number>): Record<string, number> {
  return { ...QUOTA_DEFAULTS, ...LEGACY_DEFAULTS, ...limits };
}

export function pick<T>(values: Record<string, T>, keys: string[]): Record<string, T> {
  return Object.fromEntries(keys.filter((k) => values[k] !== undefined).map((k) => [k, values[k]]));
}

/** Nova's _common_quota: an integer or a string of digits, -1 (unlimited) to 2^31-1. */
const QUOTA_VALUE = { type: ['integer', 'string'], pattern: '^-?[0-9]+$', minimum: -1, maximum: 0x7fffffff };
export const BOOLEAN = {
  type: ['boolean', 'string'],
  enum: [true, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', false, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no'],
};

export function truthy(v: unknown): boolean {
  return v === true || (typeof v === 'string' && ['true', '1', 'on', 'yes'].includes(v.toLowerCase()));
}

function bodySchema(wrapper: string, keys: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'object',
    properties: { [wrapper]: { type: 'object', properties: { ...Object.fromEntries(keys.map((k) => [k, QUOTA_VALUE])), ...extra }, additionalProperties: false } },
    required: [wrapper],
    additionalProperties: false,
  };
}

const without = (drop: string[]) => ALL_KEYS.filter((k) => !drop.includes(k));

/** PUT /os-quota-sets/{id}: every resource and `force`; network keys refused from 2.36, injected files from 2.57. */
export const QUOTA_SET_UPDATE: VersionedSchema[] = [
  { max: '2.35', schema: bodySchema('quota_set', ALL_KEYS, { force: BOOLEAN }) },
  { min: '2.36', max: '2.56', schema: bodySchema('quota_set', without(NETWORK_KEYS), { force: BOOLEAN }) },
  { min: '2.57', schema: bodySchema('quota_set', without([...NETWORK_KEYS, ...INJECTED_KEYS]), { force: BOOLEAN }) },
];

/** PUT /os-quota-class-sets/{id}: server group keys accepted throughout (Nova's schema), network keys until 2.49. */
export const QUOTA_CLASS_UPDATE: VersionedSchema[] = [
  { max: '2.49', schema: bodySchema('quota_class_set', ALL_KEYS) },
  { min: '2.50', max: '2.56', schema: bodySchema('quota_class_set', without(NETWORK_KEYS)) },
  { min: '2.57', schema: bodySchema('quota_class_set', without([...NETWORK_KEYS, ...INJECTED_KEYS])) },
];

/** The numeric values of a validated body (strings of digits become numbers). */
export function quotaValues(body: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === 'force' || v === null || v === undefined || v === '') continue;
    out[k] = typeof v === 'number' ? v : Number.parseInt(String(v), 10);
  }
  return out;
}
