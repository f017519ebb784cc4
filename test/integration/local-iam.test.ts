// The local cloud enforces cloud/template.yaml's IAM, checked from outside with the real SDK
// clients and the aws CLI: each principal (the app user, the function's role, MediaConvert's
// role, an administrator) may do what the template grants and is refused the rest, with AWS's
// AccessDenied wording naming the action.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateJobCommand, GetJobCommand, MediaConvertClient, ProbeCommand, type Job } from '@aws-sdk/client-mediaconvert';
import { startLocalCloud, type LocalCloud } from '../../cloud/local';
import { compileOutputGroup } from '../../cloud/lambda/compile-job';
import { makeTestClip } from '../fixtures/media';
import { waitForJobEnd } from '../fixtures/mc-wait';

type Keys = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

let dir: string;
let cloud: LocalCloud;
let clip: string;
const BUCKET = 'hospup-videos';

const s3 = (credentials: Keys) => new S3Client({ region: cloud.config.region, endpoint: cloud.config.endpoints.s3, forcePathStyle: true, credentials, maxAttempts: 1 });
const lambda = (credentials: Keys) => new LambdaClient({ region: cloud.config.region, endpoint: cloud.config.endpoints.lambda, credentials, maxAttempts: 1 });
const mediaconvert = (credentials: Keys) => new MediaConvertClient({ region: cloud.config.region, endpoint: cloud.config.endpoints.mediaconvert, credentials, maxAttempts: 1 });

const app = () => ({ accessKeyId: cloud.config.accessKeyId, secretAccessKey: cloud.config.secretAccessKey });
const admin = () => cloud.config.admin;
const fn = () => cloud.account.function.credentials;

async function denied(call: Promise<unknown>, name: string, action: string | RegExp): Promise<string> {
  let message = '';
  await assert.rejects(call, (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(err.name, name, err.message);
    assert.equal(err.$metadata?.httpStatusCode, 403);
    message = err.message;
    return true;
  });
  if (typeof action === 'string') assert.ok(message.includes(`is not authorized to perform: ${action}`), message);
  else assert.match(message, action);
  return message;
}

/** The HTTP status an SDK call fails with (HEAD answers carry no error code). */
async function failsWith(call: Promise<unknown>, status: number): Promise<void> {
  await assert.rejects(call, (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(err.$metadata?.httpStatusCode, status, `${err.name}: ${err.message}`);
    return true;
  });
}

const put = (keys: Keys, key: string, body: string | Buffer = 'x') => s3(keys).send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hospup-iam-'));
  cloud = await startLocalCloud({ dataDir: join(dir, 'cloud') });
  clip = await makeTestClip(join(tmpdir(), 'hospup-test-clips'), { name: 'iam-clip', color: 'green', width: 320, height: 568, fps: 30, durationSec: 1 });
  // The hotel's bucket already holds its videos at the root (the guide's situation), and a render.
  const { readFile } = await import('node:fs/promises');
  await put(admin(), 'video1.mp4', await readFile(clip));
  await put(admin(), 'generated-videos/old/video.mp4', await readFile(clip));
});
after(async () => {
  await cloud?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the app user (the first line of `hospup cloud`): AppUserPolicy', () => {
  it('uploads and reads clips under sources/, reads renders, lists sources/, invokes the function', async () => {
    await put(app(), 'sources/abc.mp4');
    await s3(app()).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'sources/abc.mp4' }));
    await s3(app()).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'generated-videos/old/video.mp4' }));
    await s3(app()).send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'sources/' }));
    const invoked = await lambda(app()).send(new InvokeCommand({ FunctionName: cloud.config.functionName, InvocationType: 'DryRun' }));
    assert.equal(invoked.StatusCode, 204);
  });

  it('a missing source is 404 (ListBucket lets S3 say so): unchanged clips are found, new ones uploaded', async () => {
    await failsWith(s3(app()).send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'sources/absent.mp4' })), 404);
  });

  it('is refused everything else, with the action named', async () => {
    const message = await denied(put(app(), 'video1.mp4'), 'AccessDenied', 's3:PutObject');
    assert.equal(message, `User: arn:aws:iam::000000000000:user/hospup-app is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::${BUCKET}/video1.mp4" because no identity-based policy allows the s3:PutObject action`);
    await denied(s3(app()).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'video1.mp4' })), 'AccessDenied', 's3:GetObject');
    await denied(s3(app()).send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'sources/abc.mp4' })), 'AccessDenied', 's3:DeleteObject');
    await denied(s3(app()).send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'generated-videos/' })), 'AccessDenied', 's3:ListBucket');
    await denied(s3(app()).send(new ListBucketsCommand({})), 'AccessDenied', 's3:ListAllMyBuckets');
    await denied(s3(app()).send(new ListMultipartUploadsCommand({ Bucket: BUCKET })), 'AccessDenied', 's3:ListBucketMultipartUploads');
    await denied(lambda(app()).send(new InvokeCommand({ FunctionName: 'someone-elses-function', InvocationType: 'DryRun' })), 'AccessDeniedException', 'lambda:InvokeFunction');
    await denied(mediaconvert(app()).send(new GetJobCommand({ Id: '1' })), 'ForbiddenException', 'mediaconvert:GetJob');
    await denied(mediaconvert(app()).send(new ProbeCommand({ InputFiles: [{ FileUrl: `s3://${BUCKET}/video1.mp4` }] })), 'ForbiddenException', 'mediaconvert:Probe');
  });

  it('a listing without a prefix is allowed, as on AWS: StringLikeIfExists cannot tell it from the checks HeadObject needs', async () => {
    const listed = await s3(app()).send(new ListObjectsV2Command({ Bucket: BUCKET }));
    assert.ok(listed.Contents?.some((o) => o.Key === 'video1.mp4'));
  });

  it('a HEAD refused has no body: S3 answers 403 (a missing key outside what the user may list is 403 too)', async () => {
    await failsWith(s3(app()).send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'video1.mp4' })), 403);
  });
});

describe("the generation function's role session (GeneratorRole, temporary keys with a session token)", () => {
  it('reads clips anywhere in the bucket, writes overlays, probes clips at the bucket root', async () => {
    await s3(fn()).send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'video1.mp4' }));
    await put(fn(), 'overlays/o.png');
    await s3(fn()).send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'overlays/o.png' }));
    await failsWith(s3(fn()).send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'clips/absent.mp4' })), 404);
    const probed = await mediaconvert(fn()).send(new ProbeCommand({ InputFiles: [{ FileUrl: `s3://${BUCKET}/video1.mp4` }] }));
    assert.equal(probed.ProbeResults?.length, 1);
  });

  it('never reads renders (explicit deny), never writes clips, never invokes itself', async () => {
    const message = await denied(s3(fn()).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'generated-videos/old/video.mp4' })), 'AccessDenied', 's3:GetObject');
    assert.match(message, /assumed-role\/hospup-video-GeneratorRole\/hospup-video-generator .* with an explicit deny in an identity-based policy$/);
    await denied(put(fn(), 'sources/abc.mp4'), 'AccessDenied', 's3:PutObject');
    await denied(put(fn(), 'video2.mp4'), 'AccessDenied', 's3:PutObject');
    await denied(lambda(fn()).send(new InvokeCommand({ FunctionName: cloud.config.functionName, InvocationType: 'DryRun' })), 'AccessDeniedException', 'lambda:InvokeFunction');
    await denied(mediaconvert(fn()).send(new ProbeCommand({ InputFiles: [{ FileUrl: `s3://${BUCKET}/generated-videos/old/video.mp4` }] })), 'ForbiddenException', 's3:GetObject');
  });

  it('its keys only work with their session token', async () => {
    const { sessionToken: _token, ...withoutToken } = fn();
    await failsWith(s3(withoutToken).send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'video1.mp4' })), 400);
    await assert.rejects(lambda({ ...fn(), sessionToken: 'forged' }).send(new InvokeCommand({ FunctionName: cloud.config.functionName, InvocationType: 'DryRun' })),
      (err: Error) => err.name === 'UnrecognizedClientException');
  });
});

describe("MediaConvert's role (MediaConvertRole, assumed per job through its trust policy)", () => {
  const job = (input: string, destination: string, role = cloud.account.stack.mediaConvertRoleArn, queue?: string) => ({
    Role: role,
    ...(queue && { Queue: queue }),
    Settings: {
      TimecodeConfig: { Source: 'ZEROBASED' as const },
      Inputs: [{ FileInput: input, TimecodeSource: 'ZEROBASED' as const, InputClippings: [{ StartTimecode: '00:00:00:00', EndTimecode: '00:00:00:09' }], VideoSelector: { Rotate: 'AUTO' as const } }],
      OutputGroups: [compileOutputGroup({ width: 320, height: 568, fps: 30, aspect: '9:16' } as never, [{ nameModifier: '', images: [] }], destination)],
    },
  });
  const finished = (id: string): Promise<Job> => waitForJobEnd(mediaconvert(fn()), id);

  it('renders a clip at the bucket root into generated-videos/ (what the function submits)', async () => {
    const { Job: created } = await mediaconvert(fn()).send(new CreateJobCommand(job(`s3://${BUCKET}/video1.mp4`, `s3://${BUCKET}/generated-videos/iam/video`)));
    const done = await finished(created!.Id!);
    assert.equal(done.Status, 'COMPLETE', done.ErrorMessage);
    await s3(app()).send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'generated-videos/iam/video.mp4' }));
  });

  it('may not read a render as an input, nor write outside generated-videos/: the job ends in ERROR 1401', async () => {
    const { Job: readsRender } = await mediaconvert(fn()).send(new CreateJobCommand(job(`s3://${BUCKET}/generated-videos/old/video.mp4`, `s3://${BUCKET}/generated-videos/iam2/video`)));
    const first = await finished(readsRender!.Id!);
    assert.equal(first.ErrorCode, 1401);
    assert.match(first.ErrorMessage!, /assumed-role\/hospup-video-MediaConvertRole\/.* is not authorized to perform: s3:GetObject .* with an explicit deny/);
    const { Job: writesClips } = await mediaconvert(fn()).send(new CreateJobCommand(job(`s3://${BUCKET}/video1.mp4`, `s3://${BUCKET}/sources/evil`)));
    const second = await finished(writesClips!.Id!);
    assert.equal(second.ErrorCode, 1401);
    assert.match(second.ErrorMessage!, /unable to write output file \[s3:\/\/hospup-videos\/sources\/evil\.mp4\]: Access Denied/);
  });

  it('the function may pass only the MediaConvert role, and submit only to the Default queue', async () => {
    await denied(mediaconvert(fn()).send(new CreateJobCommand(job(`s3://${BUCKET}/video1.mp4`, `s3://${BUCKET}/generated-videos/x/video`, cloud.account.stack.functionRole.arn))),
      'ForbiddenException', 'iam:PassRole');
    await denied(mediaconvert(fn()).send(new CreateJobCommand(job(`s3://${BUCKET}/video1.mp4`, `s3://${BUCKET}/generated-videos/x/video`, undefined, 'Priority'))),
      'ForbiddenException', 'mediaconvert:CreateJob');
  });

  it('a role that does not trust MediaConvert cannot be assumed (an administrator may pass any role): ERROR 1434', async () => {
    const { Job: created } = await mediaconvert(admin()).send(new CreateJobCommand(job(`s3://${BUCKET}/video1.mp4`, `s3://${BUCKET}/generated-videos/y/video`, cloud.account.stack.functionRole.arn)));
    const done = await finished(created!.Id!);
    assert.equal(done.ErrorCode, 1434);
  });
});

describe('an administrator (the `admin` keys of `hospup cloud`)', () => {
  it('may do setup work: list buckets and uploads, put clips at the root', async () => {
    const buckets = await s3(admin()).send(new ListBucketsCommand({}));
    assert.ok(buckets.Buckets?.some((b) => b.Name === BUCKET));
    await s3(admin()).send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    await put(admin(), 'video2.mp4');
    await s3(admin()).send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'video2.mp4' }));
  });
});

const aws = spawnSync('aws', ['--version'], { encoding: 'utf8' });
describe('the same through the aws CLI', { skip: aws.error || aws.status !== 0 ? 'aws CLI not installed' : false }, () => {
  // The machine's own AWS settings stay out: only these keys and endpoints.
  const ownEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  // Asynchronous: the local cloud answers from this very process.
  const cli = (keys: Keys, args: string[]) => new Promise<{ status: number | null; stderr: string }>((resolve) => execFile('aws', ['--region', cloud.config.region, ...args], {
    encoding: 'utf8',
    env: {
      ...ownEnv, AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
      ...(keys.sessionToken && { AWS_SESSION_TOKEN: keys.sessionToken }),
      AWS_ENDPOINT_URL_S3: cloud.config.endpoints.s3, AWS_ENDPOINT_URL_LAMBDA: cloud.config.endpoints.lambda,
      AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: join(dir, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
    },
  }, (err, _stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stderr })));

  it('app user: uploads to sources/, refused at the root and for listing everything; admin may', async () => {
    const file = join(dir, 'cli.bin');
    await writeFile(file, 'hello');
    const ok = await cli(app(), ['s3', 'cp', file, `s3://${BUCKET}/sources/cli.bin`]);
    assert.equal(ok.status, 0, ok.stderr);
    const root = await cli(app(), ['s3', 'cp', file, `s3://${BUCKET}/cli.bin`]);
    assert.notEqual(root.status, 0);
    assert.match(root.stderr, /AccessDenied/);
    assert.match(root.stderr, /not authorized to perform: s3:PutObject/);
    const listAll = await cli(app(), ['s3', 'ls']);
    assert.match(listAll.stderr, /AccessDenied/);
    const asAdmin = await cli(admin(), ['s3', 'cp', file, `s3://${BUCKET}/cli.bin`]);
    assert.equal(asAdmin.status, 0, asAdmin.stderr);
  });

  it('lambda invoke: the app user may, the function role may not', async () => {
    const out = join(dir, 'out.json');
    const allowed = await cli(app(), ['lambda', 'invoke', '--function-name', cloud.config.functionName, '--invocation-type', 'DryRun', out]);
    assert.equal(allowed.status, 0, allowed.stderr);
    const refused = await cli(fn(), ['lambda', 'invoke', '--function-name', cloud.config.functionName, '--invocation-type', 'DryRun', out]);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /AccessDeniedException/);
  });
});
