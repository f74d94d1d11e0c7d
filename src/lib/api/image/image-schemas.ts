/**
 * Glance v2's side of the image API: the versions document, the create body (core attributes
 * typed, free-form properties strings, read-only attributes let through so the handler can
 * answer 403 as Glance does) and the JSON Patch body.
 */
import { CONTAINER_FORMATS, DISK_FORMATS, VISIBILITIES } from '../../services/images';
import type { VersionedSchema } from '../types';

/** Set by the image service, never by a client (Glance: 403 "Attribute ... is read-only"). */
export const READ_ONLY = ['status', 'size', 'virtual_size', 'checksum', 'os_hash_algo', 'os_hash_value', 'created_at', 'updated_at',
  'file', 'self', 'schema', 'direct_url', 'locations', 'location', 'deleted', 'deleted_at'];

/** Glance API versions: 2.15 is what the Debian clients were measured against. */
export function imageVersions(base: string): { versions: Array<Record<string, unknown>> } {
  const href = `${base}/image/v2/`;
  const ids = Array.from({ length: 16 }, (_, i) => `v2.${15 - i}`);
  return { versions: ids.map((id, i) => ({ id, status: i === 0 ? 'CURRENT' : 'SUPPORTED', links: [{ rel: 'self', href }] })) };
}

const nullable = (values: readonly string[]) => ({ anyOf: [{ type: 'string', enum: [...values] }, { type: 'null' }] });

export const CREATE_BODY: VersionedSchema[] = [{
  schema: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      name: { type: ['string', 'null'], maxLength: 255 },
      visibility: { type: 'string', enum: [...VISIBILITIES] },
      disk_format: nullable(DISK_FORMATS),
      container_format: nullable(CONTAINER_FORMATS),
      min_disk: { type: 'integer', minimum: 0 },
      min_ram: { type: 'integer', minimum: 0 },
      protected: { type: 'boolean' },
      os_hidden: { type: 'boolean' },
      owner: { type: ['string', 'null'], maxLength: 255 },
      tags: { type: 'array', items: { type: 'string', maxLength: 255 }, uniqueItems: true },
      ...Object.fromEntries(READ_ONLY.map((k) => [k, {}])),
    },
    additionalProperties: { type: 'string', maxLength: 65535 },
  },
}];

export const PATCH_BODY: VersionedSchema[] = [{
  schema: {
    type: 'array',
    items: {
      type: 'object',
      properties: { op: { type: 'string', enum: ['add', 'replace', 'remove'] }, path: { type: 'string', pattern: '^/[^/]+$' }, value: {} },
      required: ['op', 'path'],
      additionalProperties: false,
    },
  },
}];
