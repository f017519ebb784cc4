/**
 * The local S3 store through the real @aws-sdk/client-s3 and lib-storage clients, with the
 * SDK's DEFAULT checksum settings (streamed uploads are aws-chunked with a CRC32 trailer).
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AbortMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createRunCredentials, type RunCredentials } from '../../cloud/local/credentials';
import { startS3Server, type S3ServerHandle } from '../../cloud/local/s3';

const REGION = 'eu-west-3';
const BUCKET = 'hospup-videos';
const MiB = 1024 * 1024;

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

function client(endpoint: string, credentials: RunCredentials): S3Client {
  return new S3Client({ endpoint, region: REGION, forcePathStyle: true, credentials });
}

async function getBytes(s3: S3Client, key: string, range?: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, Range: range }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

describe('local S3 store with the AWS SDK v3', () => {
  let dataDir: string;
  let workDir: string;
  let credentials: RunCredentials;
  let server: S3ServerHandle;
  let s3: S3Client;

  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hospup-s3-data-'));
    workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hospup-s3-work-'));
    credentials = createRunCredentials();
    server = await startS3Server({ dataDir, credentials, region: REGION, buckets: [BUCKET] });
    s3 = client(server.endpoint, credentials);
  });

  after(async () => {
    s3?.destroy();
    await server?.close();
    await fs.rm(dataDir, { recursive: true, force: true });
    await fs.rm(workDir, { recursive: true, force: true });
  });

  it('lists the configured bucket', async () => {
    const out = await s3.send(new ListBucketsCommand({}));
    assert.deepEqual(out.Buckets?.map((b) => b.Name), [BUCKET]);
    await s3.send(new HeadBucketCommand({ Bucket: BUCKET }));
    await assert.rejects(s3.send(new HeadBucketCommand({ Bucket: 'no-such-bucket' })), { name: 'NotFound' });
  });

  it('stores a streamed PutObject (default checksums, aws-chunked) byte for byte', async () => {
    const data = randomBytes(3 * MiB + 12345);
    const file = path.join(workDir, 'clip.mp4');
    await fs.writeFile(file, data);
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'sources/clip one.mp4',
        Body: createReadStream(file),
        ContentLength: data.length,
        ContentType: 'video/mp4',
        Metadata: { sha256: sha256(data) },
      }),
    );
    assert.equal(put.ETag, `"${md5(data)}"`);
    // The file the renderer reads holds exactly the bytes, with no chunk framing.
    const stored = await fs.readFile(await server.objectFilePath(BUCKET, 'sources/clip one.mp4'));
    assert.equal(sha256(stored), sha256(data));
    assert.equal(sha256(await getBytes(s3, 'sources/clip one.mp4')), sha256(data));

    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'sources/clip one.mp4' }));
    assert.equal(head.ContentLength, data.length);
    assert.equal(head.ETag, `"${md5(data)}"`);
    assert.equal(head.ContentType, 'video/mp4');
    assert.deepEqual(head.Metadata, { sha256: sha256(data) });
    assert.ok(head.LastModified instanceof Date && Math.abs(head.LastModified.getTime() - Date.now()) < 60_000);
  });

  it('round-trips a ~20 MiB lib-storage multipart Upload', async () => {
    const data = randomBytes(20 * MiB + 777);
    const file = path.join(workDir, 'big.mov');
    await fs.writeFile(file, data);
    const upload = new Upload({
      client: s3,
      params: { Bucket: BUCKET, Key: 'sources/big.mov', Body: createReadStream(file) },
      partSize: 5 * MiB,
      queueSize: 4,
    });
    const done = await upload.done();
    assert.match(done.ETag ?? '', /^"[0-9a-f]{32}-5"$/);
    assert.equal(sha256(await getBytes(s3, 'sources/big.mov')), sha256(data));
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'sources/big.mov' }));
    assert.equal(head.ContentLength, data.length);
  });

  it('answers ranged GETs (a-b, a-, suffix) with the right bytes and 416 when unsatisfiable', async () => {
    const data = randomBytes(1000);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'range.bin', Body: data }));
    assert.deepEqual(await getBytes(s3, 'range.bin', 'bytes=10-19'), data.subarray(10, 20));
    assert.deepEqual(await getBytes(s3, 'range.bin', 'bytes=990-'), data.subarray(990));
    assert.deepEqual(await getBytes(s3, 'range.bin', 'bytes=-100'), data.subarray(900));
    assert.deepEqual(await getBytes(s3, 'range.bin', 'bytes=-5000'), data);
    assert.deepEqual(await getBytes(s3, 'range.bin', 'bytes=995-5000'), data.subarray(995));
    const partial = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'range.bin', Range: 'bytes=0-0' }));
    assert.equal(partial.$metadata.httpStatusCode, 206);
    assert.equal(partial.ContentRange, 'bytes 0-0/1000');
    await partial.Body!.transformToByteArray();
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'range.bin', Range: 'bytes=1000-' })), (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(err.name, 'InvalidRange');
      assert.equal(err.$metadata?.httpStatusCode, 416);
      return true;
    });
  });

  it('pages ListObjectsV2 with prefix, delimiter and continuation tokens', async () => {
    const keys = ['list/a.txt', 'list/b.txt', 'list/c/1.txt', 'list/c/2.txt', 'list/d.txt', 'list/e/1.txt', 'list/f.txt'];
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: key }));
    const seenKeys: string[] = [];
    const seenPrefixes: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'list/', Delimiter: '/', MaxKeys: 2, ContinuationToken: token }));
      pages++;
      seenKeys.push(...(out.Contents ?? []).map((c) => c.Key!));
      seenPrefixes.push(...(out.CommonPrefixes ?? []).map((c) => c.Prefix!));
      assert.ok((out.KeyCount ?? 0) <= 2);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    assert.deepEqual(seenKeys, ['list/a.txt', 'list/b.txt', 'list/d.txt', 'list/f.txt']);
    assert.deepEqual(seenPrefixes, ['list/c/', 'list/e/']);
    assert.equal(pages, 3);

    const flat = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'list/c/' }));
    assert.deepEqual(flat.Contents?.map((c) => [c.Key, c.Size]), [['list/c/1.txt', 12], ['list/c/2.txt', 12]]);
  });

  it('lists parts of an unfinished multipart upload, then aborts it', async () => {
    const key = 'resumable.mp4';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
    const part1 = randomBytes(5 * MiB);
    const part2 = randomBytes(1234);
    const r1 = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1, Body: part1 }));
    const r2 = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 2, Body: part2 }));
    const parts = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId }));
    assert.deepEqual(parts.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag]), [[1, part1.length, r1.ETag], [2, part2.length, r2.ETag]]);
    assert.equal(r1.ETag, `"${md5(part1)}"`);
    const paged = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId, MaxParts: 1 }));
    assert.equal(paged.IsTruncated, true);
    assert.equal(paged.NextPartNumberMarker, '1');

    await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId }));
    await assert.rejects(s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId })), { name: 'NoSuchUpload' });
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })), { name: 'NotFound' });
  });

  it('copies and deletes objects, and reports NoSuchKey / NoSuchBucket', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'copy/src.txt', Body: 'hello', Metadata: { a: '1' } }));
    await s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy/dst.txt', CopySource: `${BUCKET}/copy/src.txt` }));
    assert.equal((await getBytes(s3, 'copy/dst.txt')).toString(), 'hello');
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'copy/dst.txt' }));
    await assert.rejects(getBytes(s3, 'copy/dst.txt'), { name: 'NoSuchKey' });
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: 'other-bucket', Key: 'x' })), { name: 'NoSuchBucket' });
    await assert.rejects(server.objectFilePath(BUCKET, 'copy/dst.txt'), { name: 'Error', message: /does not exist/ });
  });

  it('refuses a wrong secret and an unknown access key without storing anything', async () => {
    const wrong = client(server.endpoint, { ...credentials, secretAccessKey: 'x'.repeat(40) });
    await assert.rejects(wrong.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'intruder.bin', Body: randomBytes(3 * MiB) })), { name: 'SignatureDoesNotMatch' });
    await assert.rejects(wrong.send(new ListObjectsV2Command({ Bucket: BUCKET })), { name: 'SignatureDoesNotMatch' });
    await assert.rejects(wrong.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'range.bin' })), { name: 'SignatureDoesNotMatch' });
    const unknown = client(server.endpoint, { accessKeyId: 'AKIAEXAMPLE000000000', secretAccessKey: credentials.secretAccessKey });
    await assert.rejects(unknown.send(new ListBucketsCommand({})), { name: 'InvalidAccessKeyId' });
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'intruder.bin' })), { name: 'NotFound' });
    wrong.destroy();
    unknown.destroy();
  });

  it('keeps objects and unfinished uploads across a restart (new run credentials)', async () => {
    const data = randomBytes(6 * MiB);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'persist/keep.bin', Body: data }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'persist/resume.bin' }));
    await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'persist/resume.bin', UploadId, PartNumber: 1, Body: data }));

    await server.close();
    s3.destroy();
    credentials = createRunCredentials();
    server = await startS3Server({ dataDir, credentials, region: REGION, buckets: [BUCKET] });
    s3 = client(server.endpoint, credentials);

    assert.equal(sha256(await getBytes(s3, 'persist/keep.bin')), sha256(data));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'persist/' }));
    assert.deepEqual(listed.Contents?.map((c) => c.Key), ['persist/keep.bin']);
    const parts = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'persist/resume.bin', UploadId }));
    assert.deepEqual(parts.Parts?.map((p) => p.PartNumber), [1]);
  });
});
