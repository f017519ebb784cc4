/**
 * The error every HostApi call rejects with: the one AppError of shared/errors.ts, rebuilt from
 * the PlainError a transport handed back (a plain message for people, a code for code, and the
 * message's template so the UI can say it in the editor's language).
 */
import { AppError, isErrorCode, type ErrorCode, type MessageParams } from '../../../shared/errors';

export class HostError extends AppError {
  override name = 'HostError';
}

export function isHostError(value: unknown): value is HostError {
  return value instanceof AppError;
}

/** Reads `{message, code, field, key, params}` from whatever a transport handed back. */
export function hostErrorFrom(value: unknown, fallbackCode: ErrorCode = 'internal'): HostError {
  if (value instanceof HostError) return value;
  if (value && typeof value === 'object') {
    const v = value as { message?: unknown; code?: unknown; field?: unknown; key?: unknown; params?: unknown };
    const message = typeof v.message === 'string' && v.message ? v.message : 'Something went wrong';
    const code = isErrorCode(v.code) ? v.code : fallbackCode;
    return new HostError(code, message, {
      field: typeof v.field === 'string' ? v.field : undefined,
      key: typeof v.key === 'string' ? v.key : undefined,
      params: v.params && typeof v.params === 'object' ? (v.params as MessageParams) : undefined,
    });
  }
  return new HostError(fallbackCode, typeof value === 'string' ? value : 'Something went wrong');
}
