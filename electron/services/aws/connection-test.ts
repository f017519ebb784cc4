// "Test connection" in the app's AWS settings: checks, in order, the
// credentials, who they belong to, the bucket, that clips can be uploaded and
// renders downloaded, and that the function may be invoked, and says in plain
// words which permission or name is wrong. Nothing is left behind in the
// bucket: the upload probe starts a multipart upload and aborts it.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { CredentialProblem } from './credentials';
import { redactText } from './redact';

export type ConnectionStepName = 'credentials' | 'identity' | 'bucket' | 'upload' | 'download' | 'function';

export interface ConnectionStep {
  name: ConnectionStepName;
  ok: boolean;
  message: string;
  /** Not run: an earlier step failed, or the target has no such service (local cloud has no STS). */
  skipped?: boolean;
  /** A command that fixes it, when there is one (e.g. aws sso login --profile X). */
  command?: string;
}

export interface ConnectionTestInput {
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  region: string;
  bucket: string;
  functionName: string;
  /** Custom endpoints (the local cloud). When s3/lambda are given without sts, the identity step is skipped. */
  endpoints?: { s3?: string; lambda?: string; sts?: string };
  /** Key prefixes as the template grants them. */
  sourcesPrefix?: string;
  outputPrefix?: string;
}

export interface ErrorContext {
  region: string;
  bucket: string;
  functionName: string;
  key?: string;
}

type AwsError = {
  name?: string;
  message?: string;
  Code?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string> };
};

function statusOf(err: AwsError): number | undefined {
  return err.$metadata?.httpStatusCode;
}

function codeOf(err: AwsError): string {
  return err.name || err.Code || err.code || '';
}

// Case-sensitive on purpose: "ResourceNotFoundException" must not read as ENOTFOUND.
const NETWORK = /\b(ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|TimeoutError|NetworkingError)\b|socket hang up|getaddrinfo/;

/** Errors every AWS call can meet: network, bad keys, clock skew, expired session. */
function explainCommon(err: AwsError, service: string, ctx: ErrorContext): string | undefined {
  const code = codeOf(err);
  const text = `${code} ${err.message ?? ''}`;
  if (NETWORK.test(text)) return `Cannot reach AWS ${service} in ${ctx.region}: check the internet connection (${redactText(err.message ?? code)})`;
  if (/InvalidClientTokenId|InvalidAccessKeyId|UnrecognizedClientException/.test(code)) {
    return 'AWS does not know this access key id: it was deleted, deactivated or mistyped';
  }
  if (/SignatureDoesNotMatch|InvalidSignatureException/.test(code)) {
    return 'The secret access key does not match the access key id: enter the secret again';
  }
  if (/ExpiredToken|RequestExpired|TokenRefreshRequired/.test(code)) {
    return 'The temporary AWS credentials have expired: sign in again (for an SSO profile: aws sso login)';
  }
  if (/RequestTimeTooSkewed|InvalidSignatureException.*Signature expired/.test(text)) {
    return "This computer's clock is wrong by more than 5 minutes: AWS refuses the request until it is set right";
  }
  return undefined;
}

/** Plain words for a failed step, naming the missing permission or the wrong name. */
export function explainStepError(step: ConnectionStepName, error: unknown, ctx: ErrorContext): string {
  if (error instanceof CredentialProblem) return error.message;
  const err = (error ?? {}) as AwsError;
  const code = codeOf(err);
  const status = statusOf(err);
  const bucketArn = `arn:aws:s3:::${ctx.bucket}`;
  const service = step === 'identity' ? 'STS' : step === 'function' ? 'Lambda' : 'S3';
  const common = explainCommon(err, service, ctx);
  if (common) return common;

  switch (step) {
    case 'identity':
      break;
    case 'bucket': {
      const actual = err.$response?.headers?.['x-amz-bucket-region'];
      if (status === 301 || code === 'PermanentRedirect' || /AuthorizationHeaderMalformed|IllegalLocationConstraint/.test(code)) {
        return `Bucket ${ctx.bucket} is in region ${actual ?? 'another region'}, not ${ctx.region}: set the region to ${actual ?? "the bucket's region"}`;
      }
      if (status === 404 || code === 'NotFound' || code === 'NoSuchBucket') {
        return `Bucket ${ctx.bucket} does not exist in region ${ctx.region}: check the bucket name (the stack output BucketName)`;
      }
      if (status === 403 || code === 'Forbidden' || code === 'AccessDenied') {
        return `Your AWS user may not use bucket ${ctx.bucket} (missing s3:ListBucket on ${bucketArn}; attach the stack's user policy)`;
      }
      break;
    }
    case 'upload':
      if (status === 403 || code === 'AccessDenied') {
        return `Your AWS user may not upload clips to ${ctx.bucket}/${ctx.key ?? 'sources/'} (missing s3:PutObject or s3:AbortMultipartUpload on ${bucketArn}/sources/*)`;
      }
      if (status === 404 || code === 'NoSuchBucket') return `Bucket ${ctx.bucket} does not exist in region ${ctx.region}`;
      break;
    case 'download':
      if (status === 403 || code === 'Forbidden' || code === 'AccessDenied') {
        return `Your AWS user may not read ${ctx.bucket}/${ctx.key ?? ''} (missing s3:GetObject on ${bucketArn}/${(ctx.key ?? '').split('/')[0]}/*, or s3:ListBucket on ${bucketArn})`;
      }
      break;
    case 'function':
      if (code === 'ResourceNotFoundException' || status === 404) {
        return `Function ${ctx.functionName} does not exist in region ${ctx.region}: check the function name (the stack output FunctionName) and the region`;
      }
      if (code === 'AccessDeniedException' || code === 'AccessDenied' || status === 403) {
        return `Your AWS user may not invoke function ${ctx.functionName} (missing lambda:InvokeFunction on it; attach the stack's user policy)`;
      }
      if (code === 'TooManyRequestsException') return `Function ${ctx.functionName} is busy (throttled); try again in a minute`;
      break;
    case 'credentials':
      break;
  }
  return `${service} refused the request: ${redactText(`${code}${err.message ? `: ${err.message}` : ''}`) || 'unknown error'}`;
}

const STEP_ORDER: ConnectionStepName[] = ['credentials', 'identity', 'bucket', 'upload', 'download', 'function'];

export async function testConnection(input: ConnectionTestInput): Promise<ConnectionStep[]> {
  const ctx: ErrorContext = { region: input.region, bucket: input.bucket, functionName: input.functionName };
  const sourcesPrefix = input.sourcesPrefix ?? 'sources/';
  const outputPrefix = input.outputPrefix ?? 'generated-videos/';
  const steps: ConnectionStep[] = [];
  const provider: AwsCredentialIdentityProvider =
    typeof input.credentials === 'function' ? input.credentials : async () => input.credentials as AwsCredentialIdentity;

  let identity: AwsCredentialIdentity;
  try {
    identity = await provider();
    steps.push({ name: 'credentials', ok: true, message: 'Credentials found' });
  } catch (err) {
    steps.push({
      name: 'credentials', ok: false, message: explainStepError('credentials', err, ctx),
      ...(err instanceof CredentialProblem && err.command ? { command: err.command } : {}),
    });
    return finish(steps);
  }
  const common = { region: input.region, credentials: identity, maxAttempts: 2 };

  const localTarget = Boolean(input.endpoints && (input.endpoints.s3 || input.endpoints.lambda) && !input.endpoints.sts);
  if (localTarget) {
    steps.push({ name: 'identity', ok: true, skipped: true, message: 'Skipped: this target has no STS; the next steps check the keys' });
  } else {
    try {
      const sts = new STSClient({ ...common, ...(input.endpoints?.sts && { endpoint: input.endpoints.sts }) });
      const who = await sts.send(new GetCallerIdentityCommand({}));
      steps.push({ name: 'identity', ok: true, message: `Signed in as ${who.Arn} (account ${who.Account})` });
    } catch (err) {
      steps.push({ name: 'identity', ok: false, message: explainStepError('identity', err, ctx) });
      return finish(steps);
    }
  }

  const s3 = new S3Client({
    ...common,
    ...(input.endpoints?.s3 && { endpoint: input.endpoints.s3, forcePathStyle: true }),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  try {
    await s3.send(new HeadBucketCommand({ Bucket: input.bucket }));
    steps.push({ name: 'bucket', ok: true, message: `Bucket ${input.bucket} is reachable in ${input.region}` });
  } catch (err) {
    steps.push({ name: 'bucket', ok: false, message: explainStepError('bucket', await whyForbidden(s3, input.bucket, sourcesPrefix, err), ctx) });
    return finish(steps);
  }

  const probeKey = `${sourcesPrefix}hospup-connection-test-${Date.now()}`;
  try {
    const started = await s3.send(new CreateMultipartUploadCommand({ Bucket: input.bucket, Key: probeKey }));
    await s3.send(new AbortMultipartUploadCommand({ Bucket: input.bucket, Key: probeKey, UploadId: started.UploadId }));
    // A missing source must read as 404 (not 403) so unchanged clips are found and new ones uploaded.
    await expectMissing(s3, input.bucket, `${probeKey}-absent`);
    steps.push({ name: 'upload', ok: true, message: `Clips can be uploaded to ${input.bucket}/${sourcesPrefix}` });
  } catch (err) {
    steps.push({ name: 'upload', ok: false, message: explainStepError('upload', err, { ...ctx, key: probeKey }) });
  }

  const outKey = `${outputPrefix}hospup-connection-test-absent`;
  try {
    await expectMissing(s3, input.bucket, outKey);
    steps.push({ name: 'download', ok: true, message: `Renders can be downloaded from ${input.bucket}/${outputPrefix}` });
  } catch (err) {
    steps.push({ name: 'download', ok: false, message: explainStepError('download', err, { ...ctx, key: outKey }) });
  }

  try {
    const lambda = new LambdaClient({ ...common, ...(input.endpoints?.lambda && { endpoint: input.endpoints.lambda }) });
    // DryRun checks the permission and that the function exists without running it.
    await lambda.send(new InvokeCommand({ FunctionName: input.functionName, InvocationType: 'DryRun' }));
    steps.push({ name: 'function', ok: true, message: `Function ${input.functionName} can be invoked` });
  } catch (err) {
    steps.push({ name: 'function', ok: false, message: explainStepError('function', err, ctx) });
  }
  return finish(steps);
}

/**
 * A HEAD answer has no body, so a 403 does not say whether the keys are wrong or a permission
 * is missing. Asking again with a listing (which the user policy allows under sources/) returns
 * an error document with the real code (SignatureDoesNotMatch, InvalidAccessKeyId, AccessDenied).
 */
async function whyForbidden(s3: S3Client, bucket: string, prefix: string, headError: unknown): Promise<unknown> {
  if (statusOf(headError as AwsError) !== 403) return headError;
  try {
    await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }));
    return headError;
  } catch (listError) {
    return statusOf(listError as AwsError) === 403 ? listError : headError;
  }
}

async function expectMissing(s3: S3Client, bucket: string, key: string): Promise<void> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  } catch (err) {
    if (statusOf(err as AwsError) === 404) return;
    throw err;
  }
}

/** Adds the steps that did not run after a blocking failure, so the UI always shows the full list. */
function finish(steps: ConnectionStep[]): ConnectionStep[] {
  const done = new Set(steps.map((s) => s.name));
  for (const name of STEP_ORDER) {
    if (!done.has(name)) steps.push({ name, ok: false, skipped: true, message: 'Not checked: fix the step above first' });
  }
  return steps;
}
