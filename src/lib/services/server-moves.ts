/** Placeholder: being written. */
import type { Recover } from '../conductor/runner';
import type { ServerOpsDeps } from './server-ops-deps';

export class ServerMovesService {
  constructor(readonly d: ServerOpsDeps) {}

  /** Recovery for the task kinds this service creates (merged into the Context's recovery). */
  recoverers(): Record<string, Recover> {
    return {};
  }
}
