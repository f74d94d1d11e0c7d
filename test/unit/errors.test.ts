import {
  CancelledError, ConfigError, ConflictError, HostError, HTTP_FAULTS, InvalidInputError, InvalidStateError, MigrationNeededError,
  NotFoundError, NoValidHostError, QuotaExceededError, TimeoutError,
} from '../../src/lib/errors';

describe('exit codes and faults (DESIGN.md §5)', () => {
  it.each([
    [new InvalidInputError('x'), 2, 400],
    [new NotFoundError('Flavor', 'm1.huge'), 3, 404],
    [new ConflictError('x'), 4, 409],
    [new InvalidStateError('x'), 4, 409],
    [new NoValidHostError('x'), 5, 409],
    [new QuotaExceededError('x'), 5, 403],
    [new HostError('x'), 6, 503],
    [new ConfigError('x'), 7, 503],
    [new MigrationNeededError('x'), 7, 503],
    [new TimeoutError('x'), 8, 504],
    [new CancelledError(), 130, 400],
  ])('%p → exit %i, HTTP %i', (err, exit, http) => {
    expect(err.exitCode).toBe(exit);
    expect(HTTP_FAULTS[err.category][0]).toBe(http);
  });

  it('builds stable codes and JSON', () => {
    const e = new NotFoundError('Flavor', 'm1.huge', { hint: 'list them' });
    expect(e.code).toBe('FLAVOR_NOT_FOUND');
    expect(e.toJSON()).toEqual({ code: 'FLAVOR_NOT_FOUND', message: 'Flavor "m1.huge" was not found.', hint: 'list them' });
  });
});
