// "Test connection": plain-words error mapping (errors built with the SDK's own
// exception classes, as AWS returns them) and real runs against the local cloud.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LambdaServiceException, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { NotFound, S3ServiceException } from '@aws-sdk/client-s3';
import { STSServiceException } from '@aws-sdk/client-sts';
import { explainStepError, testConnection, type ConnectionStep } from '../../electron/services/aws/connection-test';
import { CredentialProblem } from '../../electron/services/aws/credentials';

const ctx = { region: 'eu-west-1', bucket: 'hotel-videos', functionName: 'hospup-generator' };
const meta = (httpStatusCode: number) => ({ httpStatusCode, attempts: 1, totalRetryDelay: 0 });

test('function errors name the missing permission or the wrong name', () => {
  const denied = new LambdaServiceException({
    name: 'AccessDeniedException', $fault: 'client', $metadata: meta(403),
    message: 'User: arn:aws:iam::111122223333:user/reception is not authorized to perform: lambda:InvokeFunction',
  });
  assert.equal(explainStepError('function', denied, ctx),
    'Your AWS user may not invoke function hospup-generator (missing lambda:InvokeFunction on it; attach the stack\'s user policy)');
  const missing = new ResourceNotFoundException({ $metadata: meta(404), message: 'Function not found: arn:...' });
  assert.match(explainStepError('function', missing, ctx), /^Function hospup-generator does not exist in region eu-west-1: check the function name/);
});

test('bucket errors: missing bucket, no ListBucket, wrong region', () => {
  const nf = new NotFound({ $metadata: meta(404), message: 'NotFound' });
  assert.equal(explainStepError('bucket', nf, ctx),
    'Bucket hotel-videos does not exist in region eu-west-1: check the bucket name (the stack output BucketName)');
  const forbidden = new S3ServiceException({ name: 'Forbidden', $fault: 'client', $metadata: meta(403), message: 'Forbidden' });
  assert.match(explainStepError('bucket', forbidden, ctx), /may not use bucket hotel-videos \(missing s3:ListBucket on arn:aws:s3:::hotel-videos/);
  const moved = Object.assign(new S3ServiceException({ name: '301', $fault: 'client', $metadata: meta(301), message: 'Moved' }),
    { $response: { headers: { 'x-amz-bucket-region': 'us-east-1' } } });
  assert.equal(explainStepError('bucket', moved, ctx), 'Bucket hotel-videos is in region us-east-1, not eu-west-1: set the region to us-east-1');
});

test('upload and download errors name the S3 actions and prefixes', () => {
  const denied = new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: meta(403), message: 'Access Denied' });
  assert.match(explainStepError('upload', denied, { ...ctx, key: 'sources/x' }),
    /may not upload clips .*missing s3:PutObject or s3:AbortMultipartUpload on arn:aws:s3:::hotel-videos\/sources\/\*/);
  assert.match(explainStepError('download', denied, { ...ctx, key: 'generated-videos/x' }),
    /missing s3:GetObject on arn:aws:s3:::hotel-videos\/generated-videos\/\*/);
});

test('key, clock, network and credential problems in plain words, secrets redacted', () => {
  const bad = new STSServiceException({ name: 'InvalidClientTokenId', $fault: 'client', $metadata: meta(403), message: 'The security token included in the request is invalid.' });
  assert.match(explainStepError('identity', bad, ctx), /does not know this access key id/);
  const sig = new S3ServiceException({ name: 'SignatureDoesNotMatch', $fault: 'client', $metadata: meta(403), message: 'x' });
  assert.match(explainStepError('bucket', sig, ctx), /secret access key does not match/);
  const skew = new S3ServiceException({ name: 'RequestTimeTooSkewed', $fault: 'client', $metadata: meta(403), message: 'x' });
  assert.match(explainStepError('bucket', skew, ctx), /clock is wrong/);
  const offline = Object.assign(new Error('getaddrinfo ENOTFOUND lambda.eu-west-1.amazonaws.com'), { code: 'ENOTFOUND' });
  assert.match(explainStepError('function', offline, ctx), /^Cannot reach AWS Lambda in eu-west-1: check the internet connection/);
  const sso = new CredentialProblem('Your AWS sign-in for AWS profile "hotel" has expired. Sign in again with: aws sso login --profile hotel', 'sso-expired', 'aws sso login --profile hotel');
  assert.equal(explainStepError('credentials', sso, ctx), sso.message);
  const leaky = new S3ServiceException({ name: 'Weird', $fault: 'server', $metadata: meta(500), message: 'oops for AKIAHOSPUPLEAKED0001' });
  assert.doesNotMatch(explainStepError('bucket', leaky, ctx), /AKIAHOSPUPLEAKED0001/);
});

// ---- against the local cloud (real SDK clients, real servers) ----

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const skip = existsSync(join(ROOT, 'cloud/local/index.ts')) ? false : 'needs cloud/local/index.ts (not written yet)';
let cloud: { config: any; close(): Promise<void> } | undefined;
let dataDir: string;

before(async () => {
  if (skip) return;
  dataDir = mkdtempSync(join(tmpdir(), 'hospup-conn-'));
  const { startLocalCloud } = await import('../../cloud/local/index');
  cloud = await startLocalCloud({ dataDir });
});

after(async () => {
  await cloud?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function local(over: Record<string, unknown> = {}) {
  const c = cloud!.config;
  return {
    credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey },
    region: c.region,
    bucket: c.bucket,
    functionName: c.functionName,
    endpoints: { s3: c.endpoints.s3, lambda: c.endpoints.lambda },
    ...over,
  };
}

const summary = (steps: ConnectionStep[]) => steps.map((s) => `${s.name}:${s.skipped ? 'skipped' : s.ok ? 'ok' : 'FAILED'}`);

test('local cloud: every check passes; identity is skipped (no STS) and nothing is left in the bucket', { skip }, async () => {
  const steps = await testConnection(local());
  assert.deepEqual(summary(steps), ['credentials:ok', 'identity:skipped', 'bucket:ok', 'upload:ok', 'download:ok', 'function:ok'],
    JSON.stringify(steps, null, 2));
  const { S3Client, ListObjectsV2Command, ListMultipartUploadsCommand } = await import('@aws-sdk/client-s3');
  const c = cloud!.config;
  const s3 = new S3Client({ region: c.region, endpoint: c.endpoints.s3, forcePathStyle: true,
    credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey } });
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: c.bucket, Prefix: 'sources/hospup-connection-test' }));
  assert.equal(listed.KeyCount ?? 0, 0, 'the probe leaves no object');
  const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: c.bucket })).catch(() => undefined);
  if (uploads) assert.equal((uploads.Uploads ?? []).length, 0, 'the probe upload was aborted');
});

test('local cloud: wrong bucket name stops at the bucket step', { skip }, async () => {
  const steps = await testConnection(local({ bucket: 'no-such-hotel-bucket' }));
  assert.deepEqual(summary(steps), ['credentials:ok', 'identity:skipped', 'bucket:FAILED', 'upload:skipped', 'download:skipped', 'function:skipped']);
  assert.match(steps[2].message, /^Bucket no-such-hotel-bucket does not exist in region eu-west-1/);
});

test('local cloud: wrong function name (IAM answers first, as on AWS: the user policy names only the stack\'s function)', { skip }, async () => {
  const steps = await testConnection(local({ functionName: 'hospup-typo' }));
  const fn = steps.find((s) => s.name === 'function')!;
  assert.equal(fn.ok, false);
  assert.match(fn.message, /^Your AWS user may not invoke function hospup-typo \(missing lambda:InvokeFunction/);
  assert.ok(steps.filter((s) => s.name !== 'function').every((s) => s.ok));
});

test('local cloud: wrong secret or unknown key id', { skip }, async () => {
  const c = cloud!.config;
  const wrongSecret = await testConnection(local({ credentials: { accessKeyId: c.accessKeyId, secretAccessKey: 'x'.repeat(40) } }));
  assert.match(wrongSecret.find((s) => s.name === 'bucket')!.message, /^The secret access key does not match the access key id/);
  assert.equal(wrongSecret.find((s) => s.name === 'bucket')!.ok, false);
  const unknown = await testConnection(local({ credentials: { accessKeyId: 'AKIAHOSPUPUNKNOWN001', secretAccessKey: c.secretAccessKey } }));
  assert.equal(unknown.find((s) => s.name === 'bucket')!.ok, false);
  assert.match(unknown.find((s) => s.name === 'bucket')!.message, /^AWS does not know this access key id/);
});

test('credential problems (expired SSO) stop at the first step with the login command', { skip }, async () => {
  const steps = await testConnection(local({
    credentials: async () => {
      throw new CredentialProblem('Your AWS sign-in for AWS profile "hotel" has expired. Sign in again with: aws sso login --profile hotel',
        'sso-expired', 'aws sso login --profile hotel');
    },
  }));
  assert.equal(steps[0].ok, false);
  assert.equal(steps[0].command, 'aws sso login --profile hotel');
  assert.ok(steps.slice(1).every((s) => s.skipped));
});
