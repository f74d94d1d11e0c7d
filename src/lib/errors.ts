/**
 * The one error hierarchy of novalite. Every error a user can cause or meet is a NovaliteError
 * with a stable `code`, a category that fixes its exit code (CLI) and HTTP fault (REST), a
 * message that says what happened and a hint that says what to do next. Anything else that
 * escapes is a bug: exit 1 / 500.
 */

export type ErrorCategory =
  | 'usage'
  | 'not_found'
  | 'conflict'
  | 'no_valid_host'
  | 'quota'
  | 'host'
  | 'database'
  | 'timeout'
  | 'cancelled'
  | 'not_supported'
  | 'forbidden'
  | 'unauthorized';

/** Exit codes of DESIGN.md §5. */
export const EXIT_CODES: Record<ErrorCategory, number> = {
  usage: 2,
  not_found: 3,
  conflict: 4,
  no_valid_host: 5,
  quota: 5,
  host: 6,
  database: 7,
  timeout: 8,
  cancelled: 130,
  not_supported: 2,
  forbidden: 2,
  unauthorized: 2,
};

/** HTTP status and Nova fault name per category (the REST fault mapper uses this). */
export const HTTP_FAULTS: Record<ErrorCategory, [number, string]> = {
  usage: [400, 'badRequest'],
  not_found: [404, 'itemNotFound'],
  conflict: [409, 'conflictingRequest'],
  no_valid_host: [409, 'conflictingRequest'],
  quota: [403, 'forbidden'],
  host: [503, 'serviceUnavailable'],
  database: [503, 'serviceUnavailable'],
  timeout: [504, 'computeFault'],
  cancelled: [400, 'badRequest'],
  not_supported: [400, 'badRequest'],
  forbidden: [403, 'forbidden'],
  unauthorized: [401, 'unauthorized'],
};

export interface ErrorOptions {
  hint?: string;
  details?: unknown;
  cause?: unknown;
}

export class NovaliteError extends Error {
  readonly code: string;
  readonly category: ErrorCategory;
  readonly hint?: string;
  readonly details?: unknown;

  constructor(code: string, category: ErrorCategory, message: string, opts: ErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.category = category;
    this.hint = opts.hint;
    this.details = opts.details;
  }

  get exitCode(): number {
    return EXIT_CODES[this.category];
  }

  toJSON(): { code: string; message: string; hint?: string; details?: unknown } {
    const out: { code: string; message: string; hint?: string; details?: unknown } = {
      code: this.code,
      message: this.message,
    };
    if (this.hint) out.hint = this.hint;
    if (this.details !== undefined) out.details = this.details;
    return out;
  }
}

export class InvalidInputError extends NovaliteError {
  constructor(message: string, opts: ErrorOptions & { code?: string } = {}) {
    super(opts.code ?? 'INVALID_INPUT', 'usage', message, opts);
  }
}

export class NotFoundError extends NovaliteError {
  constructor(kind: string, ref: string, opts: ErrorOptions = {}) {
    super(`${kind.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_NOT_FOUND`, 'not_found',
      `${kind} ${JSON.stringify(ref)} was not found.`, opts);
  }
}

export class ConflictError extends NovaliteError {
  constructor(message: string, opts: ErrorOptions & { code?: string } = {}) {
    super(opts.code ?? 'CONFLICT', 'conflict', message, opts);
  }
}

/** An action asked of a server in a state that does not allow it. */
export class InvalidStateError extends NovaliteError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super('INVALID_STATE', 'conflict', message, opts);
  }
}

export class NoValidHostError extends NovaliteError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super('NO_VALID_HOST', 'no_valid_host', message, opts);
  }
}

export class QuotaExceededError extends NovaliteError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super('QUOTA_EXCEEDED', 'quota', message, opts);
  }
}

export class HostError extends NovaliteError {
  constructor(message: string, opts: ErrorOptions & { code?: string } = {}) {
    super(opts.code ?? 'HOST_FAILURE', 'host', message, opts);
  }
}

export class DatabaseError extends NovaliteError {
  constructor(message: string, opts: ErrorOptions & { code?: string } = {}) {
    super(opts.code ?? 'DATABASE_ERROR', 'database', message, opts);
  }
}

export class ConfigError extends NovaliteError {
  constructor(message: string, opts: ErrorOptions & { code?: string } = {}) {
    super(opts.code ?? 'CONFIG_ERROR', 'database', message, opts);
  }
}

export class MigrationNeededError extends NovaliteError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super('MIGRATION_NEEDED', 'database', message, opts);
  }
}

export class TimeoutError extends NovaliteError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super('TIMEOUT', 'timeout', message, opts);
  }
}

export class CancelledError extends NovaliteError {
  constructor(message = 'Cancelled by the user.', opts: ErrorOptions = {}) {
    super('CANCELLED', 'cancelled', message, opts);
  }
}

export class NotSupportedError extends NovaliteError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super('NOT_SUPPORTED', 'not_supported', message, opts);
  }
}

export function isNovaliteError(e: unknown): e is NovaliteError {
  return e instanceof NovaliteError;
}

/** The caller may not do this (policy); exit 2 on the CLI, 403 over HTTP. */
export class ForbiddenError extends NovaliteError {
  constructor(message: string, opts: ErrorOptions & { code?: string } = {}) {
    super(opts.code ?? 'FORBIDDEN', 'forbidden', message, opts);
  }
}

/** No valid credentials (missing, expired or forged token); 401 over HTTP. */
export class UnauthorizedError extends NovaliteError {
  constructor(message: string, opts: ErrorOptions & { code?: string } = {}) {
    super(opts.code ?? 'UNAUTHORIZED', 'unauthorized', message, opts);
  }
}
