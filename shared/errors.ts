/**
 * One error type and one set of codes for every boundary: host services, both transports (IPC
 * and HTTP), the exporter, the CLI and the UI. A code says what kind of problem it is (and so the
 * HTTP status and whether it is the user's to fix); `message` is an English sentence; `key` and
 * `params`, when present, let the UI say the same sentence in the editor's language (the key is
 * the English template, as in the renderer's translation table).
 */
import { z } from 'zod';

/** Every code, with the HTTP status the web host answers and whether the person can fix it. */
export const ERROR_CODES = {
  // The caller (UI, CLI, a script) sent something wrong.
  'invalid-argument': { status: 400, userFixable: true },
  'invalid-input': { status: 400, userFixable: true },
  'invalid-json': { status: 400, userFixable: true },
  'invalid-id': { status: 400, userFixable: true },
  'unknown-method': { status: 404, userFixable: false },
  'method-not-allowed': { status: 405, userFixable: false },
  'payload-too-large': { status: 413, userFixable: true },
  'unsupported-media-type': { status: 415, userFixable: false },
  forbidden: { status: 403, userFixable: false },
  /** Web mode without its per-run access key (the page was opened without ?token=, or the host restarted). */
  'access-token': { status: 401, userFixable: true },
  // Files the person chose or has.
  'not-found': { status: 404, userFixable: true },
  'missing-file': { status: 404, userFixable: true },
  'not-media': { status: 422, userFixable: true },
  'unknown-media': { status: 404, userFixable: true },
  'relink-mismatch': { status: 422, userFixable: true },
  /** A project file that cannot be read (damaged, or from a newer app). */
  unreadable: { status: 422, userFixable: true },
  'disk-full': { status: 507, userFixable: true },
  'permission-denied': { status: 403, userFixable: true },
  // Export.
  'aws-config': { status: 400, userFixable: true },
  'aws-auth': { status: 401, userFixable: true },
  /** The keys are right, but IAM refused a permission (its action is in params.permission). */
  'aws-permission': { status: 403, userFixable: true },
  /** The local cloud (embedded, or `hospup cloud` on this machine) stopped answering. */
  'local-cloud-stopped': { status: 503, userFixable: false },
  network: { status: 503, userFixable: false },
  render: { status: 502, userFixable: false },
  cancelled: { status: 409, userFixable: false },
  interrupted: { status: 500, userFixable: false },
  internal: { status: 500, userFixable: false },
} as const satisfies Record<string, { status: number; userFixable: boolean }>;

export type ErrorCode = keyof typeof ERROR_CODES;
export const ERROR_CODE_NAMES = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** HTTP status for a code (web host): user mistakes are 4xx, never 500. */
export function statusForCode(code: string): number {
  return isErrorCode(code) ? ERROR_CODES[code].status : 500;
}

export type MessageParams = Record<string, string | number>;

/** The error as it crosses a boundary: JSON, no stack, no class. */
export const PlainErrorSchema = z.object({
  code: z.enum(ERROR_CODE_NAMES),
  message: z.string(),
  /** The argument or field at fault (`project.segments[1].end_time`, `aws.bucket`). */
  field: z.string().optional(),
  /** English template of `message` (the translation key), with its parameters. */
  key: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type PlainError = z.infer<typeof PlainErrorSchema>;

/** `{{name}}` in a template filled from params. */
export function fillTemplate(template: string, params: MessageParams = {}): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(params[name] ?? ''));
}

/** The one error class: thrown by services, carried across transports as a PlainError. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly key?: string;
  readonly params?: MessageParams;

  constructor(code: ErrorCode, message: string, options: { field?: string; key?: string; params?: MessageParams; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.field = options.field;
    this.key = options.key;
    this.params = options.params;
  }

  /** An error whose message is a template people will read translated: `AppError.of('not-media', 'Not a photo or video file we can read: {{name}}', {name})`. */
  static of<T extends AppError>(
    this: new (code: ErrorCode, message: string, options: { field?: string; key?: string; params?: MessageParams }) => T,
    code: ErrorCode,
    template: string,
    params: MessageParams = {},
    field?: string,
  ): T {
    return new this(code, fillTemplate(template, params), { key: template, params, field });
  }

  toPlain(): PlainError {
    return {
      code: this.code,
      message: this.message,
      ...(this.field !== undefined && { field: this.field }),
      ...(this.key !== undefined && { key: this.key, params: this.params ?? {} }),
    };
  }
}
