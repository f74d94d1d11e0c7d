/**
 * Request bodies of the server APIs as JSON Schema per microversion range, following what Nova's
 * schemas accept (servers.py, lock_server.py, migrate_server.py …): which fields exist from which
 * microversion, which are required, and that unknown fields are refused.
 */
import type { VersionedSchema } from '../types';

type S = Record<string, unknown>;

export const UUID_PATTERN = '^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$';
export const NAME: S = { type: 'string', minLength: 1, maxLength: 255, pattern: '^(?!\\s)[^\\u0000-\\u001f\\u007f]*(?<!\\s)$' };
export const UUID: S = { type: 'string', pattern: UUID_PATTERN };
export const BOOL: S = {
  type: ['boolean', 'string'],
  enum: [true, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', false, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no'],
};
export const POSITIVE_INT: S = { type: ['integer', 'string'], pattern: '^[0-9]*$', minimum: 1, minLength: 1 };
export const METADATA: S = { type: 'object', patternProperties: { '^[a-zA-Z0-9-_:. ]{1,255}$': { type: 'string', maxLength: 255 } }, additionalProperties: false };
export const DESCRIPTION: S = { type: ['string', 'null'], maxLength: 255, pattern: '^[^\\u0000-\\u001f\\u007f]*$' };
export const HOSTNAME: S = { type: 'string', pattern: '^[a-zA-Z0-9]+[a-zA-Z0-9-]*[a-zA-Z0-9]+$', minLength: 2, maxLength: 63 };
export const FQDN: S = { type: 'string', pattern: '^[a-zA-Z0-9-._]*$', minLength: 1, maxLength: 255 };
export const TAG: S = { type: 'string', pattern: '^[^,/]*$', minLength: 1, maxLength: 60 };
const IP: S = { type: 'string', minLength: 1 };
const BASE64: S = { type: 'string', maxLength: 65535 };
const DISK_CONFIG: S = { type: 'string', enum: ['AUTO', 'MANUAL'] };
const TRUSTED_CERTS: S = { type: ['array', 'null'], minItems: 1, maxItems: 50, uniqueItems: true, items: { type: 'string', minLength: 1 } };
const OBJECT_ARRAY: S = { type: 'array', items: { type: 'object' } };
const HINTS: S = { type: 'object', additionalProperties: true };

export const obj = (properties: S, required: string[] = [], extra: S = {}): S => ({ type: 'object', properties, required, additionalProperties: false, ...extra });
/** An action body `{"<name>": <value>}`. */
export const action = (name: string, value: S = {}): S => obj({ [name]: value }, [name]);

interface CreateFeatures { description: boolean; netTag: boolean; v237: boolean; tags: boolean; personality: boolean; trusted: boolean; host: boolean; hostname: boolean }

function createSchema(f: CreateFeatures): S {
  const net: S = { fixed_ip: IP, port: { type: ['string', 'null'], pattern: UUID_PATTERN }, uuid: f.v237 ? UUID : { type: 'string' } };
  if (f.netTag) net.tag = TAG;
  const networks = f.v237 ? { oneOf: [{ type: 'array', items: obj(net) }, { type: 'string', enum: ['none', 'auto'] }] } : { type: 'array', items: obj(net) };
  const server: S = {
    name: NAME, imageRef: { oneOf: [UUID, { type: 'string', maxLength: 0 }] }, flavorRef: { type: ['string', 'integer'], minLength: 1 },
    adminPass: { type: 'string' }, metadata: METADATA, networks, 'OS-DCF:diskConfig': DISK_CONFIG, accessIPv4: IP, accessIPv6: IP,
    availability_zone: NAME, block_device_mapping: OBJECT_ARRAY, block_device_mapping_v2: OBJECT_ARRAY, config_drive: BOOL, key_name: NAME,
    min_count: POSITIVE_INT, max_count: POSITIVE_INT, return_reservation_id: BOOL, security_groups: { type: 'array', items: obj({ name: NAME }) },
    user_data: BASE64,
  };
  if (f.personality) server.personality = { type: 'array', items: obj({ path: { type: 'string' }, contents: BASE64 }) };
  if (f.description) server.description = DESCRIPTION;
  if (f.tags) server.tags = { type: 'array', items: TAG, maxItems: 50 };
  if (f.trusted) server.trusted_image_certificates = TRUSTED_CERTS;
  if (f.host) Object.assign(server, { host: FQDN, hypervisor_hostname: FQDN });
  if (f.hostname) server.hostname = HOSTNAME;
  return obj({ server: obj(server, f.v237 ? ['name', 'flavorRef', 'networks'] : ['name', 'flavorRef']), 'os:scheduler_hints': HINTS, 'OS-SCH-HNT:scheduler_hints': HINTS }, ['server']);
}

const C: CreateFeatures = { description: false, netTag: false, v237: false, tags: false, personality: true, trusted: false, host: false, hostname: false };
const v219 = { ...C, description: true };
const v233 = { ...v219, netTag: true };
const v237 = { ...v233, v237: true, netTag: false };
const v242 = { ...v237, netTag: true };
const v252 = { ...v242, tags: true };
const v257 = { ...v252, personality: false };
const v263 = { ...v257, trusted: true };
const v274 = { ...v263, host: true };

export const CREATE: VersionedSchema[] = [
  { max: '2.18', schema: createSchema(C) },
  { min: '2.19', max: '2.31', schema: createSchema(v219) },
  { min: '2.32', max: '2.36', schema: createSchema(v233) },
  { min: '2.37', max: '2.41', schema: createSchema(v237) },
  { min: '2.42', max: '2.51', schema: createSchema(v242) },
  { min: '2.52', max: '2.56', schema: createSchema(v252) },
  { min: '2.57', max: '2.62', schema: createSchema(v257) },
  { min: '2.63', max: '2.73', schema: createSchema(v263) },
  { min: '2.74', max: '2.89', schema: createSchema(v274) },
  { min: '2.90', schema: createSchema({ ...v274, hostname: true }) },
];

const update = (extra: S): S => obj({ server: obj({ name: NAME, 'OS-DCF:diskConfig': DISK_CONFIG, accessIPv4: IP, accessIPv6: IP, ...extra }) }, ['server']);

export const UPDATE: VersionedSchema[] = [
  { max: '2.18', schema: update({}) },
  { min: '2.19', max: '2.89', schema: update({ description: DESCRIPTION }) },
  { min: '2.90', schema: update({ description: DESCRIPTION, hostname: HOSTNAME }) },
];

const rebuild = (extra: S, personality = true): S => obj({
  rebuild: obj({
    name: NAME, imageRef: UUID, adminPass: { type: 'string' }, metadata: METADATA, preserve_ephemeral: BOOL, 'OS-DCF:diskConfig': DISK_CONFIG,
    accessIPv4: IP, accessIPv6: IP, ...(personality ? { personality: { type: 'array' } } : {}), ...extra,
  }, ['imageRef']),
}, ['rebuild']);
const r254 = { description: DESCRIPTION, key_name: { oneOf: [{ type: 'string', minLength: 1, maxLength: 255 }, { type: 'null' }] } };
const r257 = { ...r254, user_data: { type: ['string', 'null'], maxLength: 65535 } };
const r263 = { ...r257, trusted_image_certificates: TRUSTED_CERTS };

/** Every action this API knows, by its body key, with the body schema per microversion. */
export const ACTION_SCHEMAS: Record<string, VersionedSchema[]> = {
  'os-start': [{ schema: action('os-start') }],
  'os-stop': [{ schema: action('os-stop') }],
  reboot: [{ schema: action('reboot', obj({ type: { type: 'string', enum: ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft'] } }, ['type'])) }],
  pause: [{ schema: action('pause') }], unpause: [{ schema: action('unpause') }],
  suspend: [{ schema: action('suspend') }], resume: [{ schema: action('resume') }],
  lock: [{ max: '2.72', schema: action('lock') }, { min: '2.73', schema: action('lock', { type: ['object', 'null'], properties: { locked_reason: { type: 'string', minLength: 1, maxLength: 255 } }, additionalProperties: false }) }],
  unlock: [{ max: '2.72', schema: action('unlock') }, { min: '2.73', schema: { type: 'object' } }],
  rescue: [{ schema: action('rescue', { type: ['object', 'null'], properties: { adminPass: { type: 'string' }, rescue_image_ref: UUID }, additionalProperties: false }) }],
  unrescue: [{ schema: action('unrescue') }],
  resize: [{ schema: action('resize', obj({ flavorRef: { type: ['string', 'integer'], minLength: 1 }, 'OS-DCF:diskConfig': DISK_CONFIG }, ['flavorRef'])) }],
  confirmResize: [{ schema: action('confirmResize') }],
  revertResize: [{ schema: action('revertResize') }],
  migrate: [{ max: '2.55', schema: action('migrate') }, { min: '2.56', schema: action('migrate', { type: ['object', 'null'], properties: { host: { ...FQDN, type: ['string', 'null'] } }, additionalProperties: false }) }],
  'os-migrateLive': [
    { max: '2.24', schema: action('os-migrateLive', obj({ block_migration: BOOL, disk_over_commit: BOOL, host: { ...FQDN, type: ['string', 'null'] } }, ['block_migration', 'disk_over_commit', 'host'])) },
    { min: '2.25', max: '2.29', schema: action('os-migrateLive', obj({ block_migration: { ...BOOL, enum: [...(BOOL.enum as unknown[]), 'auto'] }, host: { ...FQDN, type: ['string', 'null'] } }, ['block_migration', 'host'])) },
    { min: '2.30', max: '2.67', schema: action('os-migrateLive', obj({ block_migration: { ...BOOL, enum: [...(BOOL.enum as unknown[]), 'auto'] }, host: { ...FQDN, type: ['string', 'null'] }, force: BOOL }, ['block_migration', 'host'])) },
    { min: '2.68', schema: action('os-migrateLive', obj({ block_migration: { ...BOOL, enum: [...(BOOL.enum as unknown[]), 'auto'] }, host: { ...FQDN, type: ['string', 'null'] } }, ['block_migration', 'host'])) },
  ],
  evacuate: [
    { max: '2.13', schema: action('evacuate', obj({ host: FQDN, onSharedStorage: BOOL, adminPass: { type: 'string' } }, ['onSharedStorage'])) },
    { min: '2.14', max: '2.28', schema: action('evacuate', obj({ host: FQDN, adminPass: { type: 'string' } })) },
    { min: '2.29', max: '2.67', schema: action('evacuate', obj({ host: FQDN, adminPass: { type: 'string' }, force: BOOL })) },
    { min: '2.68', schema: action('evacuate', obj({ host: FQDN, adminPass: { type: 'string' } })) },
  ],
  rebuild: [
    { max: '2.18', schema: rebuild({}) },
    { min: '2.19', max: '2.53', schema: rebuild({ description: DESCRIPTION }) },
    { min: '2.54', max: '2.56', schema: rebuild(r254) },
    { min: '2.57', max: '2.62', schema: rebuild(r257, false) },
    { min: '2.63', max: '2.89', schema: rebuild(r263, false) },
    { min: '2.90', schema: rebuild({ ...r263, hostname: HOSTNAME }, false) },
  ],
  shelve: [{ schema: action('shelve') }],
  shelveOffload: [{ schema: action('shelveOffload') }],
  unshelve: [
    { max: '2.76', schema: action('unshelve') },
    { min: '2.77', max: '2.90', schema: action('unshelve', { type: ['object', 'null'], properties: { availability_zone: NAME }, required: ['availability_zone'], additionalProperties: false }) },
    { min: '2.91', schema: action('unshelve', { type: ['object', 'null'], properties: { availability_zone: { type: ['string', 'null'] }, host: { type: 'string' } }, additionalProperties: false }) },
  ],
  createImage: [{ schema: action('createImage', obj({ name: NAME, metadata: METADATA }, ['name'])) }],
  createBackup: [{ schema: action('createBackup', obj({ name: NAME, backup_type: { type: 'string' }, rotation: { type: ['integer', 'string'], pattern: '^[0-9]+$', minimum: 0 }, metadata: METADATA }, ['name', 'backup_type', 'rotation'])) }],
  changePassword: [{ schema: action('changePassword', obj({ adminPass: { type: 'string' } }, ['adminPass'])) }],
  'os-resetState': [{ schema: action('os-resetState', obj({ state: { type: 'string', enum: ['active', 'error'] } }, ['state'])) }],
  injectNetworkInfo: [{ schema: action('injectNetworkInfo') }],
  'os-getConsoleOutput': [{ schema: action('os-getConsoleOutput', obj({ length: { type: ['integer', 'string', 'null'], pattern: '^-?[0-9]+$', minimum: -1 } })) }],
  forceDelete: [{ schema: action('forceDelete') }],
  restore: [{ schema: action('restore') }],
  trigger_crash_dump: [{ min: '2.17', schema: action('trigger_crash_dump', { type: 'null' }) }],
  'os-getVNCConsole': [{ max: '2.5', schema: action('os-getVNCConsole', obj({ type: { type: 'string', enum: ['novnc', 'xvpvnc'] } }, ['type'])) }],
  'os-getSPICEConsole': [{ max: '2.5', schema: action('os-getSPICEConsole', obj({ type: { type: 'string', enum: ['spice-html5'] } }, ['type'])) }],
  'os-getSerialConsole': [{ max: '2.5', schema: action('os-getSerialConsole', obj({ type: { type: 'string', enum: ['serial'] } }, ['type'])) }],
  'os-getRDPConsole': [{ max: '2.5', schema: action('os-getRDPConsole', obj({ type: { type: 'string', enum: ['rdp-html5'] } }, ['type'])) }],
};
