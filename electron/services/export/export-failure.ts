/** Why an export stopped, in words for people, with what a program needs to react. */

export type ExportFailureCode =
  | 'invalid-input'
  | 'missing-file'
  | 'network'
  /** The local cloud (inside the app or `hospup export`) stopped answering. */
  | 'local-cloud-stopped'
  /** The keys are wrong (unknown key id, wrong secret, expired session, clock). */
  | 'aws-auth'
  /** The keys are right but IAM refused a permission: `permission` names it. */
  | 'aws-permission'
  | 'aws-config'
  | 'render'
  | 'cancelled'
  | 'internal';

export class ExportFailure extends Error {
  readonly code: ExportFailureCode;
  readonly field?: string;
  readonly retryable: boolean;
  /** Every field problem, for invalid input. */
  readonly details: string[];
  /** The IAM action that was refused (`s3:PutObject`), for 'aws-permission'. */
  readonly permission?: string;
  /** Which cause, for the UI to say it in the user's language: see FailureReason. */
  readonly reason?: FailureReason;

  constructor(
    code: ExportFailureCode,
    message: string,
    options: { field?: string; retryable?: boolean; details?: string[]; permission?: string; reason?: FailureReason; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ExportFailure';
    this.code = code;
    this.field = options.field;
    this.retryable = options.retryable ?? (code === 'network' || code === 'render' || code === 'internal' || code === 'local-cloud-stopped');
    this.details = options.details ?? [];
    this.permission = options.permission;
    this.reason = options.reason;
  }

  /** CLI exit code: 2 for input the user must fix, 130 for a cancel (like a shell's Ctrl-C), 1 for anything else. */
  get exitCode(): number {
    if (this.code === 'cancelled') return 130;
    return this.code === 'invalid-input' || this.code === 'missing-file' ? 2 : 1;
  }
}

/**
 * aws-auth: unknown-key, wrong-secret, session-expired, clock, no-credentials.
 * aws-permission: user (the app's AWS user lacks it), role (the stack's roles lack it).
 */
export type FailureReason = 'unknown-key' | 'wrong-secret' | 'session-expired' | 'clock' | 'no-credentials' | 'user' | 'role';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'TimeoutError', 'NetworkingError']);

/** Wrong keys, in plain words (the codes S3, Lambda and STS answer with). */
const CREDENTIAL_PROBLEMS: [RegExp, FailureReason, string][] = [
  [/^(InvalidAccessKeyId|UnrecognizedClientException|InvalidClientTokenId)$/, 'unknown-key', 'AWS does not know this access key id: it was deleted, deactivated or mistyped. Check the keys in Settings › AWS.'],
  [/^(SignatureDoesNotMatch|InvalidSignatureException)$/, 'wrong-secret', 'The secret access key does not match the access key id: enter the secret again in Settings › AWS.'],
  [/^(ExpiredToken|ExpiredTokenException|RequestExpired|InvalidToken|TokenRefreshRequired)$/, 'session-expired', 'The AWS session has expired: sign in again (for an SSO profile: aws sso login).'],
  [/^RequestTimeTooSkewed$/, 'clock', "This computer's clock is wrong by more than 5 minutes: AWS refuses requests until it is set right."],
  [/^(CredentialsProviderError|TokenProviderError)$/, 'no-credentials', 'No AWS credentials were found: choose a profile or enter keys in Settings › AWS.'],
];

/** What each permission the export needs lets it do, in words. */
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
  'mediaconvert:Probe': 'read the clips\' frame rate and sound',
  'iam:PassRole': 'give MediaConvert its role',
};

/** The refused action and who was refused, from AWS's "User: X is not authorized to perform: A on resource: R" wording. */
export function parseAccessDenied(message: string): { principal: string; action: string; resource?: string } | undefined {
  const m = /User: (\S+) is not authorized to perform: ([\w-]+:[\w*]+)(?: on resource: "?([^"\s]+)"?)?/.exec(message);
  return m ? { principal: m[1], action: m[2], resource: m[3] } : undefined;
}

/** A refused permission, said plainly: who may not do what, and who can fix it. */
export function permissionFailure(message: string, during: string, cause?: unknown): ExportFailure {
  const parsed = parseAccessDenied(message);
  if (!parsed) {
    return new ExportFailure('aws-permission', `AWS refused a permission while ${during}: ${message}`, { cause, retryable: false });
  }
  const what = PERMISSION_WORDS[parsed.action] ?? `use ${parsed.action}`;
  const where = parsed.resource ? ` on ${parsed.resource}` : '';
  const role = /:assumed-role\/|:role\//.test(parsed.principal);
  const text = role
    ? `The cloud side may not ${what} (the role ${parsed.principal.split('/')[1]} lacks ${parsed.action}${where}). Ask your AWS administrator to update the Hospup stack (npm run deploy).`
    : `Your AWS user may not ${what} (missing permission ${parsed.action}${where}). Ask your AWS administrator to attach the Hospup user policy (the stack's UserPolicyArn).`;
  return new ExportFailure('aws-permission', text, { cause, retryable: false, permission: parsed.action, reason: role ? 'role' : 'user' });
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
  if (credentials) return new ExportFailure('aws-auth', credentials[2], { cause: err, retryable: false, reason: credentials[1] });
  if (['AccessDenied', 'AccessDeniedException', 'ForbiddenException'].includes(error?.name) || parseAccessDenied(error?.message ?? '')) {
    return permissionFailure(error.message, during, err);
  }
  if (error?.name === 'NoSuchBucket' || error?.name === 'ResourceNotFoundException') {
    return new ExportFailure('aws-config', `${error.message} (while ${during}). Check the bucket and function names in Settings.`, {
      cause: err,
      retryable: false,
    });
  }
  return new ExportFailure('internal', `Something went wrong while ${during}: ${error?.message ?? String(err)}`, { cause: err });
}
