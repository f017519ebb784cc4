/** Why an export stopped, in words for people, with what a program needs to react. */
import { AppError, fillTemplate, type ErrorCode, type MessageParams } from '../../../shared/errors';

export type ExportFailureCode = Extract<ErrorCode,
  | 'invalid-input' | 'missing-file' | 'network' | 'aws-auth' | 'aws-config' | 'render' | 'cancelled' | 'internal'
  /** IAM refused a permission: params.permission names it. */
  | 'aws-permission'
  /** The local cloud (inside the app or `hospup export`, or `hospup cloud`) stopped answering. */
  | 'local-cloud-stopped'>;

/** The one AppError, with what an export needs on top: may it be retried, every field problem. */
export class ExportFailure extends AppError {
  declare readonly code: ExportFailureCode;
  readonly retryable: boolean;
  /** Every field problem, for invalid input. */
  readonly details: string[];

  constructor(
    code: ExportFailureCode,
    message: string,
    options: { field?: string; retryable?: boolean; details?: string[]; key?: string; params?: MessageParams; cause?: unknown } = {},
  ) {
    super(code, message, { field: options.field, key: options.key, params: options.params, cause: options.cause });
    this.name = 'ExportFailure';
    this.retryable = options.retryable ?? (code === 'network' || code === 'render' || code === 'internal' || code === 'local-cloud-stopped');
    this.details = options.details ?? [];
  }

  /** A failure people read translated: the message is the template filled in, the template its key. */
  static say(code: ExportFailureCode, template: string, params: MessageParams = {}, options: { retryable?: boolean; cause?: unknown } = {}): ExportFailure {
    return new ExportFailure(code, fillTemplate(template, params), { ...options, key: template, params });
  }

  /** The IAM action AWS refused, for 'aws-permission'. */
  get permission(): string | undefined {
    return typeof this.params?.permission === 'string' ? this.params.permission : undefined;
  }

  /** CLI exit code: 2 for input the user must fix, 130 for a cancel (like a shell's Ctrl-C), 1 for anything else. */
  get exitCode(): number {
    if (this.code === 'cancelled') return 130;
    return this.code === 'invalid-input' || this.code === 'missing-file' ? 2 : 1;
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'TimeoutError', 'NetworkingError']);

/** Wrong keys, in plain words (the codes S3, Lambda and STS answer with); each sentence is its own translation key. */
const CREDENTIAL_PROBLEMS: [RegExp, string][] = [
  [/^(InvalidAccessKeyId|UnrecognizedClientException|InvalidClientTokenId)$/, 'AWS does not know this access key: it was deleted, deactivated or mistyped. Check the keys in Settings › AWS.'],
  [/^(SignatureDoesNotMatch|InvalidSignatureException)$/, 'The secret access key does not match the access key: enter the secret again in Settings › AWS.'],
  [/^(ExpiredToken|ExpiredTokenException|RequestExpired|InvalidToken|TokenRefreshRequired)$/, 'The AWS session has expired: sign in again (for an SSO profile: aws sso login).'],
  [/^RequestTimeTooSkewed$/, 'This computer’s clock is more than 5 minutes wrong: AWS refuses requests until it is set right.'],
  [/^(CredentialsProviderError|TokenProviderError)$/, 'No AWS credentials were found: choose a profile or enter keys in Settings › AWS.'],
];

/** What the UI says when the built-in export service stopped (its translation key too). */
export const LOCAL_CLOUD_STOPPED = 'The built-in export service stopped during the export. Export again to restart it.';

export const USER_LACKS_PERMISSION = 'Your AWS user may not {{what}} (missing permission {{permission}} on {{resource}}). Ask your AWS administrator to attach the Hospup user policy.';
export const ROLE_LACKS_PERMISSION = 'The cloud side may not {{what}} (the role {{role}} lacks {{permission}} on {{resource}}). Ask your AWS administrator to update the Hospup stack.';

/** Every sentence above that the UI translates (a test checks the French table has each). */
export function exportFailureTemplates(): string[] {
  return [...CREDENTIAL_PROBLEMS.map(([, sentence]) => sentence), LOCAL_CLOUD_STOPPED, USER_LACKS_PERMISSION, ROLE_LACKS_PERMISSION,
    'AWS refused a permission: {{message}}', ...Object.values(PERMISSION_WORDS)];
}

/** What each permission an export needs lets it do, in words (also translation keys: the UI says them in French). */
export const PERMISSION_WORDS: Readonly<Record<string, string>> = {
  's3:PutObject': 'upload clips to the bucket',
  's3:GetObject': 'read files in the bucket',
  's3:ListBucket': 'look inside the bucket',
  's3:AbortMultipartUpload': 'cancel an unfinished upload',
  's3:ListMultipartUploadParts': 'resume an unfinished upload',
  'lambda:InvokeFunction': 'start the video generation function',
  'mediaconvert:CreateJob': 'submit the render to MediaConvert',
  'mediaconvert:GetJob': 'follow the render',
  'mediaconvert:CancelJob': 'cancel the render',
  'mediaconvert:Probe': 'read the clips’ frame rate and sound',
  'iam:PassRole': 'give MediaConvert its role',
};

/** The refused action and who was refused, from AWS's "User: X is not authorized to perform: A on resource: R" wording. */
export function parseAccessDenied(message: string): { principal: string; action: string; resource?: string } | undefined {
  const m = /User: (\S+) is not authorized to perform: ([\w-]+:[\w*]+)(?: on resource: "?([^"\s]+)"?)?/.exec(message);
  return m ? { principal: m[1], action: m[2], resource: m[3] } : undefined;
}

/** A refused permission, said plainly: who may not do what, and who can fix it. */
export function permissionFailure(message: string, cause?: unknown): ExportFailure {
  const parsed = parseAccessDenied(message);
  if (!parsed) return ExportFailure.say('aws-permission', 'AWS refused a permission: {{message}}', { message }, { cause, retryable: false });
  const params = { what: PERMISSION_WORDS[parsed.action] ?? `use ${parsed.action}`, permission: parsed.action, resource: parsed.resource ?? '*' };
  const role = /:assumed-role\/|:role\//.test(parsed.principal);
  return role
    ? ExportFailure.say('aws-permission', ROLE_LACKS_PERMISSION, { ...params, role: parsed.principal.split('/')[1] }, { cause, retryable: false })
    : ExportFailure.say('aws-permission', USER_LACKS_PERMISSION, params, { cause, retryable: false });
}

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
  const credentials = CREDENTIAL_PROBLEMS.find(([pattern]) => pattern.test(error?.name ?? ''));
  if (credentials) return ExportFailure.say('aws-auth', credentials[1], {}, { cause: err, retryable: false });
  if (['AccessDenied', 'AccessDeniedException', 'ForbiddenException'].includes(error?.name) || parseAccessDenied(error?.message ?? '')) {
    return permissionFailure(error.message, err);
  }
  if (error?.name === 'NoSuchBucket' || error?.name === 'ResourceNotFoundException') {
    return new ExportFailure('aws-config', `${error.message} (while ${during}). Check the bucket and function names in Settings.`, {
      cause: err,
      retryable: false,
    });
  }
  return new ExportFailure('internal', `Something went wrong while ${during}: ${error?.message ?? String(err)}`, { cause: err });
}
