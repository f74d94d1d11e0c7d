import { deriveCell0Url, maskUrl, parseDbUrl } from '../../../src/lib/db/url';
import { InvalidInputError } from '../../../src/lib/errors';

describe('parseDbUrl', () => {
  it.each([
    ['sqlite:///var/lib/n/api.sqlite', { engine: 'sqlite', filename: '/var/lib/n/api.sqlite' }],
    ['sqlite:////var/lib/n/api.sqlite', { engine: 'sqlite', filename: '/var/lib/n/api.sqlite' }],
    ['sqlite://rel/api.sqlite', { engine: 'sqlite', filename: '/base/rel/api.sqlite' }],
    ['postgresql://nova:pw@db.example:5433/nova_api', { engine: 'postgresql', host: 'db.example', port: 5433, user: 'nova', password: 'pw', database: 'nova_api' }],
    ['postgres://nova@db/nova', { engine: 'postgresql', host: 'db', user: 'nova', database: 'nova' }],
    ['mysql://nova:p%40ss@127.0.0.1/nova', { engine: 'mysql', host: '127.0.0.1', password: 'p@ss', database: 'nova' }],
    ['mysql+pymysql://nova:pw@db/nova?charset=utf8', { engine: 'mysql', host: 'db', database: 'nova', params: { charset: 'utf8' } }],
  ])('%s', (url, expected) => {
    expect(parseDbUrl(url, 'x', '/base')).toMatchObject(expected);
  });

  it.each([
    ['nonsense', /no scheme/],
    ['oracle://u:p@h/db', /unknown scheme/],
    ['postgresql://u:p@h/', /no database/],
    ['sqlite://', /no file/],
    ['mysql://u:p@h/db;drop', /database name/],
  ])('rejects %s with a usage error naming the setting', (url, why) => {
    let err: unknown;
    try { parseDbUrl(url, '[database] connection'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as Error).message).toMatch(why);
    expect((err as Error).message).toContain('[database] connection');
  });

  it('never echoes a password in its error', () => {
    expect(() => parseDbUrl('postgresql://u:topsecret@h/', 's')).toThrow(/u:\*\*\*\*@h/);
    expect(() => parseDbUrl('postgresql://u:topsecret@h/', 's')).not.toThrow(/topsecret/);
  });
});

describe('maskUrl', () => {
  it('masks only the password', () => {
    expect(maskUrl('postgresql://nova:pw@db:5432/x')).toBe('postgresql://nova:****@db:5432/x');
    expect(maskUrl('sqlite:///a/b.sqlite')).toBe('sqlite:///a/b.sqlite');
    expect(maskUrl('mysql://nova@db/x')).toBe('mysql://nova@db/x');
    expect(maskUrl(null)).toBe('');
  });
});

describe('deriveCell0Url', () => {
  it('appends _cell0 to the database name, as nova-manage does', () => {
    expect(deriveCell0Url('sqlite:///s/novalite.sqlite', 'x')).toBe('sqlite:///s/novalite_cell0.sqlite');
    expect(deriveCell0Url('postgresql://u:p@h/nova?sslmode=disable', 'x')).toBe('postgresql://u:p@h/nova_cell0?sslmode=disable');
    expect(deriveCell0Url('mysql://u:p@h/nova', 'x')).toBe('mysql://u:p@h/nova_cell0');
  });
});
