/** The error every HostApi call rejects with: a plain message for people, a code for code. */
export class HostError extends Error {
  /** 'invalid-argument', 'not-found', 'network', 'internal', or a service's own code. */
  readonly code: string;
  /** The argument or field at fault (e.g. `project.segments[1].end_time`), when known. */
  readonly field?: string;

  constructor(message: string, code: string, field?: string) {
    super(message);
    this.name = 'HostError';
    this.code = code;
    this.field = field;
  }
}

export function isHostError(value: unknown): value is HostError {
  return value instanceof HostError;
}

/** Reads `{message, code, field}` from whatever a transport handed back. */
export function hostErrorFrom(value: unknown, fallbackCode = 'internal'): HostError {
  if (value instanceof HostError) return value;
  if (value && typeof value === 'object') {
    const v = value as { message?: unknown; code?: unknown; field?: unknown };
    const message = typeof v.message === 'string' && v.message ? v.message : 'Something went wrong';
    const code = typeof v.code === 'string' && v.code ? v.code : fallbackCode;
    return new HostError(message, code, typeof v.field === 'string' ? v.field : undefined);
  }
  return new HostError(typeof value === 'string' ? value : 'Something went wrong', fallbackCode);
}
