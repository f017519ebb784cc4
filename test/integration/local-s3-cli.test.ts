/**
 * The aws CLI (v1, botocore) against the local S3 store: list (V1 pagination with a delimiter),
 * download, upload, head-object, a conditional put, and refusal of a wrong secret. `aws` is on PATH on the dev machines, not on users' machines:
 * the test is skipped (with a message) when it is absent.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { PutObjectCommand, S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
import { createRunCredentials } from '../../cloud/local/credentials';
import { startS3Server, type S3ServerHandle } from '../../cloud/local/s3';

const REGION = 'eu-west-3';
const BUCKET = 'hospup-videos';
const awsAvailable = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;
const skip = awsAvailable ? false : 'aws CLI not found on PATH (only needed for this interoperability check)';
const run = promisify(execFile);
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('local S3 store with the aws CLI', { skip }, () => {
  const credentials = createRunCredentials();
  let server: S3ServerHandle;
  let dataDir: string;
  let workDir: string;
  const data = randomBytes(9 * 1024 * 1024 + 3); // above the CLI's 8 MiB multipart threshold

  const aws = (args: string[], secret = credentials.secretAccessKey) =>
    run('aws', ['--endpoint-url', server.endpoint, ...args, ...(args[1] === 'cp' ? ['--only-show-errors'] : [])], {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: secret,
        AWS_DEFAULT_REGION: REGION,
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
      cwd: workDir,
    });

  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hospup-s3cli-data-'));
    workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hospup-s3cli-work-'));
    server = await startS3Server({ dataDir, credentials, region: REGION, buckets: [BUCKET] });
    const s3 = new S3Client({ endpoint: server.endpoint, region: REGION, forcePathStyle: true, credentials });
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'generated-videos/reel 1.mp4', Body: data, ContentType: 'video/mp4', Metadata: { job: 'j-1' } }));
    s3.destroy();
  });

  after(async () => {
    await server?.close();
    await fs.rm(dataDir, { recursive: true, force: true });
    await fs.rm(workDir, { recursive: true, force: true });
  });

  it('lists buckets and objects', async () => {
    const buckets = await aws(['s3', 'ls']);
    assert.match(buckets.stdout, new RegExp(`\\s${BUCKET}\\n`));
    const objects = await aws(['s3', 'ls', `s3://${BUCKET}/generated-videos/`]);
    assert.match(objects.stdout, new RegExp(`\\s${data.length} reel 1\\.mp4\\n`));
  });

  it('downloads an object byte for byte', async () => {
    await aws(['s3', 'cp', `s3://${BUCKET}/generated-videos/reel 1.mp4`, 'out.mp4']);
    assert.equal(sha256(await fs.readFile(path.join(workDir, 'out.mp4'))), sha256(data));
  });

  it('uploads (multipart) and reads metadata with s3api head-object', async () => {
    await fs.writeFile(path.join(workDir, 'up.bin'), data);
    await aws(['s3', 'cp', 'up.bin', `s3://${BUCKET}/uploads/up+1.bin`]);
    const s3 = new S3Client({ endpoint: server.endpoint, region: REGION, forcePathStyle: true, credentials });
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/up+1.bin' }));
    assert.equal(sha256(Buffer.from(await got.Body!.transformToByteArray())), sha256(data));
    s3.destroy();

    const head = JSON.parse((await aws(['s3api', 'head-object', '--bucket', BUCKET, '--key', 'generated-videos/reel 1.mp4'])).stdout);
    assert.equal(head.ContentLength, data.length);
    assert.equal(head.ContentType, 'video/mp4');
    assert.deepEqual(head.Metadata, { job: 'j-1' });
    assert.match(head.ETag, /^"[0-9a-f]{32}"$/);
  });

  it('pages a V1 listing with a delimiter to its end (botocore follows NextMarker) and echoes the prefix as typed', async () => {
    for (const key of ['cli/a b/1.mp4', 'cli/a b/2.mp4', 'cli/c.mp4', 'cli/d/1.mp4', 'cli/e.mp4']) {
      await fs.writeFile(path.join(workDir, 'k.txt'), key);
      await aws(['s3api', 'put-object', '--bucket', BUCKET, '--key', key, '--body', 'k.txt']);
    }
    // --page-size 1: one entry a page, so every page ends on a key or a common prefix.
    const out = JSON.parse((await aws(['s3api', 'list-objects', '--bucket', BUCKET, '--prefix', 'cli/', '--delimiter', '/', '--page-size', '1'])).stdout);
    assert.deepEqual(out.Contents.map((c: { Key: string }) => c.Key), ['cli/c.mp4', 'cli/e.mp4']);
    assert.deepEqual(out.CommonPrefixes.map((c: { Prefix: string }) => c.Prefix), ['cli/a b/', 'cli/d/']);
    // botocore asks for encoding-type=url and decodes everything but V1's Prefix, as S3 sends it.
    const spaced = JSON.parse((await aws(['s3api', 'list-objects', '--bucket', BUCKET, '--prefix', 'cli/a b/'])).stdout);
    assert.equal(spaced.Prefix, 'cli/a b/');
    assert.deepEqual(spaced.Contents.map((c: { Key: string }) => c.Key), ['cli/a b/1.mp4', 'cli/a b/2.mp4']);
  });

  it('put-object --if-none-match "*" does not overwrite (412 PreconditionFailed)', async () => {
    await fs.writeFile(path.join(workDir, 'once.txt'), 'first');
    await aws(['s3api', 'put-object', '--bucket', BUCKET, '--key', 'cli/once.txt', '--body', 'once.txt', '--if-none-match', '*']);
    await fs.writeFile(path.join(workDir, 'once.txt'), 'second');
    await assert.rejects(aws(['s3api', 'put-object', '--bucket', BUCKET, '--key', 'cli/once.txt', '--body', 'once.txt', '--if-none-match', '*']), (err: Error & { stderr?: string }) => {
      assert.match(err.stderr ?? '', /PreconditionFailed/);
      return true;
    });
    await aws(['s3', 'cp', `s3://${BUCKET}/cli/once.txt`, 'back.txt']);
    assert.equal(await fs.readFile(path.join(workDir, 'back.txt'), 'utf8'), 'first');
  });

  it('is refused with a wrong secret', async () => {
    await assert.rejects(aws(['s3', 'ls', `s3://${BUCKET}/`], 'y'.repeat(40)), (err: Error & { stderr?: string }) => {
      assert.match(err.stderr ?? '', /SignatureDoesNotMatch/);
      return true;
    });
  });
});
