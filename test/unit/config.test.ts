import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Config, parseIni } from '../../src/lib/config';
import { ConfigError } from '../../src/lib/errors';
import { configView } from '../../src/lib/views/config';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'nl-cfg-'));
const write = (dir: string, text: string) => { const f = path.join(dir, 'novalite.conf'); fs.writeFileSync(f, text); return f; };

describe('parseIni', () => {
  it('reads sections, keys and comments', () => {
    expect(parseIni('# c\n[DEFAULT]\nstate_path = /x\n; c\n[database]\nconnection=sqlite:///a\n', 'f')).toEqual([
      { section: 'DEFAULT', key: 'state_path', value: '/x', line: 3 },
      { section: 'database', key: 'connection', value: 'sqlite:///a', line: 6 },
    ]);
  });
  it('rejects a line without = and an option outside a section, naming file and line', () => {
    expect(() => parseIni('[DEFAULT]\ngarbage\n', '/etc/x.conf')).toThrow(/\/etc\/x.conf:2/);
    expect(() => parseIni('a = b\n', 'f')).toThrow(ConfigError);
  });
});

describe('Config.load', () => {
  it('works with nothing at all: SQLite under $XDG_DATA_HOME/novalite', () => {
    const c = Config.load({ env: { HOME: '/home/u', XDG_DATA_HOME: '/data' }, searchPaths: [] });
    expect(c.file).toBeNull();
    expect(c.get('DEFAULT', 'state_path')).toBe('/data/novalite');
    expect(c.get('api_database', 'connection')).toBe('sqlite:///data/novalite/novalite_api.sqlite');
    expect(c.get('database', 'connection')).toBe('sqlite:///data/novalite/novalite.sqlite');
    expect(c.describe('database', 'connection').source).toBe('default');
  });

  it('falls back to ~/.local/share without XDG_DATA_HOME', () => {
    const c = Config.load({ env: { HOME: '/home/u' }, searchPaths: [] });
    expect(c.get('DEFAULT', 'state_path')).toBe('/home/u/.local/share/novalite');
  });

  it('prefers --config-file over NOVALITE_CONFIG_FILE over the search paths', () => {
    const a = write(tmp(), '[DEFAULT]\nstate_path = /a\n');
    const b = write(tmp(), '[DEFAULT]\nstate_path = /b\n');
    const s = write(tmp(), '[DEFAULT]\nstate_path = /s\n');
    expect(Config.load({ configFile: a, env: { NOVALITE_CONFIG_FILE: b }, searchPaths: [s] }).get('DEFAULT', 'state_path')).toBe('/a');
    expect(Config.load({ env: { NOVALITE_CONFIG_FILE: b }, searchPaths: [s] }).get('DEFAULT', 'state_path')).toBe('/b');
    expect(Config.load({ env: {}, searchPaths: ['/nonexistent', s] }).get('DEFAULT', 'state_path')).toBe('/s');
  });

  it('lets the environment override the file, and records where values came from', () => {
    const f = write(tmp(), '[database]\nconnection = sqlite:///file.sqlite\n[api_database]\nconnection = sqlite:///api.sqlite\n');
    const c = Config.load({ configFile: f, env: { NOVALITE_DATABASE_CONNECTION: 'postgresql://u:p@h/db' } });
    expect(c.describe('database', 'connection')).toEqual({ value: 'postgresql://u:p@h/db', source: 'env', origin: 'NOVALITE_DATABASE_CONNECTION' });
    expect(c.describe('api_database', 'connection')).toMatchObject({ source: 'file', origin: f });
  });

  it('warns about unknown keys and sections instead of failing', () => {
    const f = write(tmp(), '[DEFAULT]\nbogus = 1\n[nosuch]\nx = 2\n');
    const c = Config.load({ configFile: f, env: {} });
    expect(c.warnings).toHaveLength(2);
    expect(c.warnings[0]).toContain('bogus');
  });

  it('rejects invalid values with a ConfigError (exit 7) naming the key and the file', () => {
    const f = write(tmp(), '[filter_scheduler]\nhost_subset_size = zero\n');
    let err: unknown;
    try { Config.load({ configFile: f, env: {} }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).exitCode).toBe(7);
    expect((err as Error).message).toContain('[filter_scheduler] host_subset_size');
    expect((err as Error).message).toContain(f);
    const g = write(tmp(), '[scheduler]\nmax_attempts = 0\n');
    expect(() => Config.load({ configFile: g, env: {} })).toThrow(/at least 1/);
    const h = write(tmp(), '[DEFAULT]\ndebug = maybe\n');
    expect(() => Config.load({ configFile: h, env: {} })).toThrow(/true or false/);
  });

  it('fails with exit 7 when an explicit config file does not exist', () => {
    expect(() => Config.load({ configFile: '/no/such.conf', env: {} })).toThrow(ConfigError);
  });

  it('parses lists and floats', () => {
    const f = write(tmp(), '[filter_scheduler]\nenabled_filters = RamFilter, CoreFilter\nram_weight_multiplier = -2.5\n');
    const c = Config.load({ configFile: f, env: {} });
    expect(c.get('filter_scheduler', 'enabled_filters')).toEqual(['RamFilter', 'CoreFilter']);
    expect(c.get('filter_scheduler', 'ram_weight_multiplier')).toBe(-2.5);
  });
});

describe('configView', () => {
  it('masks passwords in connection URLs', () => {
    const c = Config.load({ env: { NOVALITE_API_DATABASE_CONNECTION: 'mysql+pymysql://nova:s3cret@db/nova_api' }, searchPaths: [] });
    const v = configView(c);
    const api = v.options.find((o) => o.section === 'api_database' && o.key === 'connection')!;
    expect(api.value).toBe('mysql+pymysql://nova:****@db/nova_api');
    expect(JSON.stringify(v)).not.toContain('s3cret');
  });
});
