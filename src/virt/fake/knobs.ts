/**
 * The fake driver's per-host knobs, read from `host.driverConfig` (what `novalite host add
 * --fake-spawn-seconds S --fake-fail OP` stores): how long an operation takes, which operations
 * fail, and the totals the host reports. Parsed once per driver object; a malformed value is a
 * ConfigError naming the host, so a typo in `--fake-fail` is not silently a healthy host.
 */
import { ConfigError } from '../../lib/errors';
import type { HostTarget } from '../driver';

/** Operation names the knobs understand (snake_case, as Nova names the driver methods). */
export const FAKE_OPERATIONS = [
  'spawn', 'destroy', 'reboot', 'power_off', 'power_on', 'pause', 'unpause', 'suspend', 'resume', 'rescue', 'unrescue',
  // `migrate` covers both halves of a cold migration/resize: migrateDiskAndPowerOff and finishMigration.
  'migrate', 'live_migrate', 'console',
  // Read-side operations, so that a test can make a host look unreachable to power-state sync.
  'get_info', 'list_instances', 'get_available_resource',
] as const;
export type FakeOperation = (typeof FAKE_OPERATIONS)[number];

const KNOWN = new Set<string>(FAKE_OPERATIONS);

export interface FakeKnobs {
  seconds: Partial<Record<FakeOperation, number>>;
  fail: ReadonlySet<FakeOperation>;
  vcpus: number;
  memoryMb: number;
  localGb: number;
  /** A lock file older than this is considered left behind by a dead process. */
  lockStaleMs: number;
  /** How long an operation waits for the host's lock before it gives up (HostError). */
  lockTimeoutMs: number;
}

/** `powerOff`, `power-off`, `POWER_OFF` → `power_off`. */
export function normalizeOperation(name: string): string {
  return name.trim().replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/-/g, '_').toLowerCase();
}

function bad(host: string, what: string): never {
  throw new ConfigError(`Fake host ${host}: ${what}`, {
    code: 'FAKE_DRIVER_CONFIG',
    hint: `Operations the fake driver knows: ${FAKE_OPERATIONS.join(', ')}.`,
  });
}

function operation(host: string, raw: string, where: string): FakeOperation {
  const op = normalizeOperation(raw);
  if (!KNOWN.has(op)) bad(host, `${where} names an unknown operation ${JSON.stringify(raw)}.`);
  return op as FakeOperation;
}

function seconds(host: string, v: unknown, where: string): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) bad(host, `${where} must be a number of seconds ≥ 0, not ${JSON.stringify(v)}.`);
  return n;
}

function wholeNumber(host: string, v: unknown, key: string, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) bad(host, `${key} must be a whole number ≥ 0, not ${JSON.stringify(v)}.`);
  return n;
}

export function parseKnobs(host: HostTarget): FakeKnobs {
  const c = host.driverConfig ?? {};
  const out: FakeKnobs = {
    seconds: {},
    fail: new Set(),
    vcpus: wholeNumber(host.name, c.vcpus, 'vcpus', 8),
    memoryMb: wholeNumber(host.name, c.memoryMb, 'memoryMb', 16384),
    localGb: wholeNumber(host.name, c.localGb, 'localGb', 200),
    lockStaleMs: c.lockStaleSeconds === undefined ? 30_000 : seconds(host.name, c.lockStaleSeconds, 'lockStaleSeconds') * 1000,
    lockTimeoutMs: c.lockTimeoutSeconds === undefined ? 40_000 : seconds(host.name, c.lockTimeoutSeconds, 'lockTimeoutSeconds') * 1000,
  };
  if (c.opSeconds !== undefined && c.opSeconds !== null) {
    if (typeof c.opSeconds !== 'object' || Array.isArray(c.opSeconds)) bad(host.name, 'opSeconds must be an object {operation: seconds}.');
    for (const [k, v] of Object.entries(c.opSeconds as Record<string, unknown>)) {
      out.seconds[operation(host.name, k, 'opSeconds')] = seconds(host.name, v, `opSeconds.${k}`);
    }
  }
  if (c.spawnSeconds !== undefined && c.spawnSeconds !== null) out.seconds.spawn = seconds(host.name, c.spawnSeconds, 'spawnSeconds');
  const fail = c.fail;
  if (fail !== undefined && fail !== null) {
    // The CLI stores an array; a comma-separated string is accepted for hand-written configs.
    const names = typeof fail === 'string' ? fail.split(',').filter((s) => s.trim() !== '') : fail;
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) bad(host.name, 'fail must be a list of operation names.');
    out.fail = new Set((names as string[]).map((n) => operation(host.name, n, 'fail')));
  }
  return out;
}
