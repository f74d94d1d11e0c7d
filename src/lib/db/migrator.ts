/**
 * Schema versions and sync for the API and cell trees, on top of knex's migrator. A version is
 * the number of applied migrations of that tree (0: empty database).
 */
import type { Knex } from 'knex';
import { InvalidInputError, MigrationNeededError } from '../errors';
import { Db, wrapDbError } from './knex';
import { MIGRATIONS, Tree } from './migrations';
import type { Migration } from './migrations/helpers';

const TABLE = 'novalite_migrations';

class Source implements Knex.MigrationSource<Migration> {
  constructor(private readonly list: Migration[]) {}
  async getMigrations(): Promise<Migration[]> { return this.list; }
  getMigrationName(m: Migration): string { return m.name; }
  async getMigration(m: Migration): Promise<Knex.Migration> { return { up: m.up, down: m.down }; }
}

function config(tree: Tree, upTo?: number): Knex.MigratorConfig {
  const list = MIGRATIONS[tree].slice(0, upTo ?? MIGRATIONS[tree].length);
  return { migrationSource: new Source(list), tableName: TABLE, disableMigrationsListValidation: true };
}

export function headVersion(tree: Tree): number {
  return MIGRATIONS[tree].length;
}

export async function currentVersion(db: Db): Promise<number> {
  try {
    if (!(await db.knex.schema.hasTable(TABLE))) return 0;
    const rows = await db.knex(TABLE).count<{ n: number | string }[]>({ n: '*' });
    return Number(rows[0].n);
  } catch (e) {
    throw wrapDbError(db, e);
  }
}

/** Migrates `db` to `target` (default: head). Idempotent; refuses to go backwards. */
export async function syncSchema(db: Db, tree: Tree, target?: number): Promise<{ from: number; to: number }> {
  const head = headVersion(tree);
  const to = target ?? head;
  if (!Number.isInteger(to) || to < 0 || to > head) {
    throw new InvalidInputError(`Version ${target} does not exist for the ${tree} database; the latest is ${head}.`, {
      hint: `Pass --version between 0 and ${head}, or leave it out for the latest.`,
    });
  }
  const from = await currentVersion(db);
  if (to < from) {
    throw new InvalidInputError(`The ${db.label} is at version ${from}; downgrading to ${to} is not supported.`, {
      hint: 'Restore a backup to go back to an older schema.',
    });
  }
  if (to > from) {
    try {
      await db.knex.migrate.latest(config(tree, to));
    } catch (e) {
      throw wrapDbError(db, e);
    }
  }
  return { from, to };
}

/** Throws MigrationNeededError unless `db` is at the head of its tree. */
export async function requireHead(db: Db, tree: Tree): Promise<void> {
  const v = await currentVersion(db);
  if (v < headVersion(tree)) {
    const cmd = tree === 'api' ? 'novalite api-db sync' : 'novalite db sync';
    throw new MigrationNeededError(
      `The ${db.label} is at schema version ${v}, but this novalite needs ${headVersion(tree)}.`,
      { hint: `Run \`${cmd}\` first.` },
    );
  }
}
