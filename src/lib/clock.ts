/** Time as a dependency: production uses the wall clock, tests and simulations inject one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The timestamp format every table stores (see db/migrations/helpers.ts). */
export function isoTime(d: Date): string {
  return d.toISOString();
}

/** A clock tests can move by hand. */
export class ManualClock implements Clock {
  constructor(private t = Date.parse('2026-01-01T00:00:00.000Z')) {}
  now(): Date { return new Date(this.t); }
  advance(ms: number): void { this.t += ms; }
  set(d: Date): void { this.t = d.getTime(); }
}
