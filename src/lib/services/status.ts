/**
 * `status upgrade-check`: the nova-status checks that tell an operator whether this install is
 * ready — cells v2 set up, every database at the latest schema, no online data migration due.
 * Later features append their checks to CHECKS.
 */
import { isNovaliteError } from '../errors';
import { isCell0 } from '../model/cells';
import type { DbAdminService } from './db-admin';
import type { CellsService } from './cells';

export type CheckResult = 'Success' | 'Warning' | 'Failure';
export interface CheckRow { check: string; result: CheckResult; details: string | null }

interface Deps { cells: CellsService; dbAdmin: DbAdminService }
type Check = { name: string; run(d: Deps): Promise<Omit<CheckRow, 'check'>> };

const ok = (details: string | null = null) => ({ result: 'Success' as const, details });

const CHECKS: Check[] = [
  {
    name: 'API database schema',
    async run({ dbAdmin }) {
      const v = await dbAdmin.apiVersion();
      return v.version === v.head ? ok(`version ${v.version}`)
        : { result: 'Failure', details: `at version ${v.version}, needs ${v.head}: run \`novalite api-db sync\`` };
    },
  },
  {
    name: 'Cells v2',
    async run({ cells }) {
      const all = await cells.list();
      if (!all.some(isCell0)) return { result: 'Failure', details: 'cell0 is not mapped: run `novalite cell-v2 simple-cell-setup` or `cell-v2 map-cell0`' };
      if (!all.some((c) => !isCell0(c))) return { result: 'Failure', details: 'no cell besides cell0 is mapped: run `novalite cell-v2 simple-cell-setup` or `cell-v2 create-cell`' };
      return ok(`${all.length} cells mapped`);
    },
  },
  {
    name: 'Cell database schemas',
    async run({ dbAdmin }) {
      const behind = (await dbAdmin.cellVersions()).filter((v) => v.version < v.head);
      return behind.length === 0 ? ok()
        : { result: 'Failure', details: `${behind.map((b) => `${b.name} at ${b.version}`).join(', ')}: run \`novalite db sync\`` };
    },
  },
  {
    name: 'Online data migrations',
    async run({ dbAdmin }) {
      const pending = await dbAdmin.pendingOnlineMigrations();
      return pending.length === 0 ? ok()
        : { result: 'Warning', details: `pending: ${pending.join(', ')}: run \`novalite db online-data-migrations\`` };
    },
  },
];

export class StatusService {
  constructor(private readonly deps: Deps) {}

  /** Runs every check; a check that cannot run at all is a Failure that says why. */
  async upgradeCheck(): Promise<{ checks: CheckRow[]; result: CheckResult }> {
    const checks: CheckRow[] = [];
    for (const c of CHECKS) {
      try {
        checks.push({ check: c.name, ...(await c.run(this.deps)) });
      } catch (e) {
        if (!isNovaliteError(e)) throw e;
        checks.push({ check: c.name, result: 'Failure', details: `${e.message}${e.hint ? ` ${e.hint}` : ''}` });
      }
    }
    const result: CheckResult = checks.some((c) => c.result === 'Failure') ? 'Failure'
      : checks.some((c) => c.result === 'Warning') ? 'Warning' : 'Success';
    return { checks, result };
  }
}
