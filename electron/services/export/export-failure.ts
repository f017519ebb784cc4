/** Why an export stopped, in words for people, with what a program needs to react. */
import { AppError, type ErrorCode } from '../../../shared/errors';

export type ExportFailureCode = Extract<ErrorCode, 'invalid-input' | 'missing-file' | 'network' | 'aws-auth' | 'aws-config' | 'render' | 'cancelled' | 'internal'>;

/** The one AppError, with what an export needs on top: may it be retried, every field problem. */
export class ExportFailure extends AppError {
  declare readonly code: ExportFailureCode;
  readonly retryable: boolean;
  /** Every field problem, for invalid input. */
  readonly details: string[];

  constructor(code: ExportFailureCode, message: string, options: { field?: string; retryable?: boolean; details?: string[]; cause?: unknown } = {}) {
    super(code, message, { field: options.field, cause: options.cause });
    this.name = 'ExportFailure';
    this.retryable = options.retryable ?? (code === 'network' || code === 'render' || code === 'internal');
    this.details = options.details ?? [];
  }

  /** CLI exit code: 2 for input the user must fix, 1 for anything else. */
  get exitCode(): number {
    return this.code === 'invalid-input' || this.code === 'missing-file' ? 2 : 1;
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'TimeoutError', 'NetworkingError']);
const AUTH_NAMES = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredToken',
  'ExpiredTokenException',
  'AccessDenied',
  'AccessDeniedException',
  'CredentialsProviderError',
  'TokenProviderError',
]);

/** Map an SDK / Node error to an ExportFailure with a plain message. */
export function toExportFailure(err: unknown, during: string): ExportFailure {
  if (err instanceof ExportFailure) return err;
  const error = err as Error & { code?: string; name: string; $metadata?: { httpStatusCode?: number } };
  if (error?.name === 'AbortError' || error?.name === 'RequestAbortedError') {
    return new ExportFailure('cancelled', 'Export cancelled.', { retryable: true });
  }
  if (NETWORK_CODES.has(error?.code ?? '') || NETWORK_CODES.has(error?.name)) {
    return new ExportFailure('network', `The connection was lost while ${during}. Check the network and retry.`, { cause: err });
  }
  if (AUTH_NAMES.has(error?.name)) {
    return new ExportFailure('aws-auth', `AWS refused the request while ${during}: ${error.message}`, { cause: err, retryable: false });
  }
  if (error?.name === 'NoSuchBucket' || error?.name === 'ResourceNotFoundException') {
    return new ExportFailure('aws-config', `${error.message} (while ${during}). Check the bucket and function names in Settings.`, {
      cause: err,
      retryable: false,
    });
  }
  return new ExportFailure('internal', `Something went wrong while ${during}: ${error?.message ?? String(err)}`, { cause: err });
}
