/**
 * Database connection URLs: parsing into a typed description, masking passwords for display,
 * and deriving cell0's URL from the main cell's (as nova-manage does, by suffixing the name).
 */
import * as path from 'node:path';
import { InvalidInputError } from '../errors';

export type Engine = 'sqlite' | 'postgresql' | 'mysql';

export interface ParsedUrl {
  engine: Engine;
  /** sqlite: absolute file path. */
  filename?: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
  params: Record<string, string>;
}

const SCHEMES: Record<string, Engine> = {
  sqlite: 'sqlite', sqlite3: 'sqlite',
  postgresql: 'postgresql', postgres: 'postgresql', 'postgresql+psycopg2': 'postgresql',
  mysql: 'mysql', 'mysql+pymysql': 'mysql', mariadb: 'mysql', 'mysql+mysqldb': 'mysql',
};

/**
 * Parses `sqlite:///abs/path.sqlite`, `sqlite://relative.sqlite` (relative to `baseDir`),
 * `postgresql://u:p@h:5432/db`, `mysql://…` and SQLAlchemy's `mysql+pymysql://…`.
 * `setting` names the option the URL came from, for the error message.
 */
export function parseDbUrl(url: string, setting: string, baseDir = process.cwd()): ParsedUrl {
  const bad = (why: string): never => {
    throw new InvalidInputError(`${setting}: cannot use connection URL ${JSON.stringify(maskUrl(url))}: ${why}.`, {
      code: 'INVALID_CONNECTION_URL',
      hint: 'Use sqlite:///ABS/PATH.sqlite, postgresql://USER:PASS@HOST:PORT/DB or mysql://USER:PASS@HOST:PORT/DB.',
    });
  };
  const m = /^([a-z0-9+]+):\/\/(.*)$/i.exec(url ?? '');
  if (!m) return bad('it has no scheme');
  const engine = SCHEMES[m[1].toLowerCase()];
  if (!engine) return bad(`unknown scheme "${m[1]}"`);
  if (engine === 'sqlite') {
    const [rest, query = ''] = m[2].split('?');
    if (!rest) return bad('it names no file');
    const filename = rest.startsWith('/') ? path.resolve(rest.replace(/^\/+/, '/')) : path.resolve(baseDir, rest);
    return { engine, filename, params: Object.fromEntries(new URLSearchParams(query)) };
  }
  let u: URL;
  try {
    u = new URL(`http://${m[2]}`);
  } catch {
    return bad('it is not a valid URL');
  }
  if (!u.hostname) return bad('it names no host');
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) return bad('it names no database');
  if (!/^[A-Za-z0-9_$-]+$/.test(database)) return bad('the database name may only hold letters, digits, _, $ and -');
  const port = u.port ? Number(u.port) : undefined;
  return {
    engine,
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port,
    user: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database,
    params: Object.fromEntries(u.searchParams),
  };
}

/** Replaces the password in a URL with `****`; never throws. */
export function maskUrl(url: string | null | undefined): string {
  if (!url) return '';
  return url.replace(/^([a-z0-9+]+:\/\/[^:/@]*:)([^@]*)@/i, '$1****@');
}

/** A short name for a database, safe to show: engine, host and database, no credentials. */
export function describeDb(p: ParsedUrl): string {
  if (p.engine === 'sqlite') return `sqlite database ${p.filename}`;
  return `${p.engine} database "${p.database}" on ${p.host}${p.port ? `:${p.port}` : ''}`;
}

/** Nova's rule: cell0's database is the main one's with `_cell0` appended to its name. */
export function deriveCell0Url(url: string, setting: string): string {
  const p = parseDbUrl(url, setting);
  if (p.engine === 'sqlite') {
    const ext = path.extname(p.filename!);
    const base = p.filename!.slice(0, p.filename!.length - ext.length);
    return `sqlite://${base}_cell0${ext}`;
  }
  const q = url.indexOf('?');
  const head = q >= 0 ? url.slice(0, q) : url;
  const tail = q >= 0 ? url.slice(q) : '';
  return `${head}_cell0${tail}`;
}
