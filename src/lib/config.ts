/**
 * Typed configuration: an INI file like nova.conf, NOVALITE_* environment overrides and
 * defaults. Every effective value remembers where it came from, for `config show`.
 * With no file and no environment at all, novalite runs on SQLite under $XDG_DATA_HOME.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONFIG_SCHEMA, OptionSpec } from './config-schema';
import { ConfigError } from './errors';

export type ValueSource = 'default' | 'file' | 'env';

export interface ConfigValue {
  value: unknown;
  source: ValueSource;
  /** File path or environment variable name the value came from. */
  origin?: string;
}

export interface LoadOptions {
  configFile?: string;
  env?: NodeJS.ProcessEnv;
  /** Paths probed when neither --config-file nor NOVALITE_CONFIG_FILE is given. */
  searchPaths?: string[];
}

export interface IniEntry { section: string; key: string; value: string; line: number }

/** Parses nova.conf-style INI: `[section]`, `key = value`, `#`/`;` comments. */
export function parseIni(text: string, file: string): IniEntry[] {
  const out: IniEntry[] = [];
  let section: string | null = null;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const sec = /^\[([^\]]+)\]$/.exec(line);
    if (sec) { section = sec[1].trim(); return; }
    const eq = line.indexOf('=');
    if (eq <= 0) {
      throw new ConfigError(`${file}:${i + 1}: cannot parse line ${JSON.stringify(raw)}.`, {
        hint: 'Each line must be `[section]`, `key = value` or a comment.',
      });
    }
    if (section === null) {
      throw new ConfigError(`${file}:${i + 1}: option outside of any [section].`, {
        hint: 'Put options under a section such as [DEFAULT] or [database].',
      });
    }
    out.push({ section, key: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim(), line: i + 1 });
  });
  return out;
}

function coerce(spec: OptionSpec, raw: string, where: string, name: string): unknown {
  const bad = (what: string): never => {
    throw new ConfigError(`Invalid value ${JSON.stringify(raw)} for ${name} in ${where}: ${what}.`, {
      hint: `Fix ${name} in ${where}.`, details: { option: name, origin: where },
    });
  };
  switch (spec.type) {
    case 'int': {
      if (!/^-?\d+$/.test(raw)) bad('expected an integer');
      const n = Number(raw);
      if (spec.min !== undefined && n < spec.min) bad(`must be at least ${spec.min}`);
      if (spec.max !== undefined && n > spec.max) bad(`must be at most ${spec.max}`);
      return n;
    }
    case 'float': {
      const n = Number(raw);
      if (raw === '' || !Number.isFinite(n)) bad('expected a number');
      if (spec.min !== undefined && n < spec.min) bad(`must be at least ${spec.min}`);
      return n;
    }
    case 'bool': {
      const v = raw.toLowerCase();
      if (['true', 'yes', 'on', '1'].includes(v)) return true;
      if (['false', 'no', 'off', '0'].includes(v)) return false;
      return bad('expected true or false');
    }
    case 'list':
      return raw.split(',').map((s) => s.trim()).filter(Boolean);
    default:
      if (spec.choices && !spec.choices.includes(raw)) bad(`expected one of ${spec.choices.map((c) => JSON.stringify(c)).join(', ')}`);
      return raw;
  }
}

const ENV_OVERRIDES: Record<string, [string, string]> = {
  NOVALITE_API_DATABASE_CONNECTION: ['api_database', 'connection'],
  NOVALITE_DATABASE_CONNECTION: ['database', 'connection'],
  NOVALITE_STATE_PATH: ['DEFAULT', 'state_path'],
};

export function defaultSearchPaths(env: NodeJS.ProcessEnv): string[] {
  const xdg = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return ['/etc/novalite/novalite.conf', path.join(xdg, 'novalite', 'novalite.conf')];
}

export function defaultStatePath(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_DATA_HOME || path.join(env.HOME || os.homedir(), '.local', 'share');
  return path.join(xdg, 'novalite');
}

export class Config {
  readonly warnings: string[] = [];
  readonly file: string | null;
  private readonly values = new Map<string, ConfigValue>();

  private constructor(file: string | null) { this.file = file; }

  static load(opts: LoadOptions = {}): Config {
    const env = opts.env ?? process.env;
    const explicit = opts.configFile ?? env.NOVALITE_CONFIG_FILE;
    let file: string | null = null;
    if (explicit) {
      if (!fs.existsSync(explicit)) {
        throw new ConfigError(`Config file ${explicit} does not exist.`, {
          hint: opts.configFile ? 'Check --config-file.' : 'Check NOVALITE_CONFIG_FILE.',
        });
      }
      file = path.resolve(explicit);
    } else {
      file = (opts.searchPaths ?? defaultSearchPaths(env)).find((p) => fs.existsSync(p)) ?? null;
    }
    const cfg = new Config(file);
    if (file) cfg.applyFile(file);
    for (const [name, [section, key]] of Object.entries(ENV_OVERRIDES)) {
      const raw = env[name];
      if (raw !== undefined && raw !== '') cfg.set(section, key, raw, 'env', name);
    }
    cfg.applyDefaults(env);
    return cfg;
  }

  private applyFile(file: string): void {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(`Cannot read config file ${file}: ${(e as Error).message}.`, { cause: e });
    }
    for (const e of parseIni(text, file)) {
      if (!CONFIG_SCHEMA[e.section] || !CONFIG_SCHEMA[e.section][e.key]) {
        this.warnings.push(`${file}:${e.line}: unknown option [${e.section}] ${e.key} is ignored.`);
        continue;
      }
      this.set(e.section, e.key, e.value, 'file', file);
    }
  }

  private set(section: string, key: string, raw: string, source: ValueSource, origin: string): void {
    const spec = CONFIG_SCHEMA[section][key];
    const value = coerce(spec, raw, origin, `[${section}] ${key}`);
    this.values.set(`${section}.${key}`, { value, source, origin });
  }

  private applyDefaults(env: NodeJS.ProcessEnv): void {
    if (!this.values.has('DEFAULT.state_path')) {
      this.values.set('DEFAULT.state_path', { value: defaultStatePath(env), source: 'default' });
    }
    const state = this.get<string>('DEFAULT', 'state_path');
    const derived: Record<string, string> = {
      'api_database.connection': `sqlite://${path.join(state, 'novalite_api.sqlite')}`,
      'database.connection': `sqlite://${path.join(state, 'novalite.sqlite')}`,
    };
    const defaultsSection: Record<string, unknown> = { state_path: state };
    for (const [section, spec] of Object.entries(CONFIG_SCHEMA)) {
      for (const [key, opt] of Object.entries(spec)) {
        const id = `${section}.${key}`;
        if (this.values.has(id)) continue;
        const d = derived[id] ?? (typeof opt.default === 'function'
          ? (opt.default as (d: Record<string, unknown>) => unknown)(defaultsSection)
          : opt.default);
        this.values.set(id, { value: d === undefined ? null : d, source: 'default' });
      }
    }
  }

  get<T = unknown>(section: string, key: string): T {
    const v = this.values.get(`${section}.${key}`);
    if (!v) throw new Error(`unknown config option [${section}] ${key}`);
    return v.value as T;
  }

  describe(section: string, key: string): ConfigValue {
    const v = this.values.get(`${section}.${key}`);
    if (!v) throw new Error(`unknown config option [${section}] ${key}`);
    return v;
  }

  entries(): Array<{ section: string; key: string } & ConfigValue> {
    return [...this.values.entries()].map(([id, v]) => {
      const dot = id.indexOf('.');
      return { section: id.slice(0, dot), key: id.slice(dot + 1), ...v };
    });
  }
}
