/**
 * Multipart uploads to the local S3 store through the real @aws-sdk/client-s3 (default checksum
 * settings): parts are written straight into one shared file at their guessed final offset, and
 * completion must produce the exact bytes whether the guess held (no copy: the shared file
 * becomes the object) or not (out-of-order arrival, a retried part, parts of other sizes).
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
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type ChecksumAlgorithm,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createRunCredentials, type RunCredentials } from '../../cloud/local/credentials';
import { startS3Server, type S3ServerHandle } from '../../cloud/local/s3';

const REGION = 'eu-west-3';
const BUCKET = 'hospup-multipart';
const MiB = 1024 * 1024;

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('local S3 multipart uploads (parts placed in one shared file)', () => {
  let dataDir: string;
  let workDir: string;
  let credentials: RunCredentials;
  let server: S3ServerHandle;
  let s3: S3Client;

  const start = async () => {
    credentials = createRunCredentials();
    server = await startS3Server({ dataDir, credentials, region: REGION, buckets: [BUCKET] });
    s3 = new S3Client({ endpoint: server.endpoint, region: REGION, forcePathStyle: true, credentials });
  };
  const stop = async () => {
    s3?.destroy();
    await server?.close();
  };

  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hospup-s3mp-data-'));
    workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hospup-s3mp-work-'));
    await start();
  });

  after(async () => {
    await stop();
    await fs.rm(dataDir, { recursive: true, force: true });
    await fs.rm(workDir, { recursive: true, force: true });
  });

  const sharedFile = (uploadId: string) => path.join(dataDir, 'buckets', BUCKET, 'uploads', uploadId, 'data');

  async function getBytes(key: string): Promise<Buffer> {
    const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return Buffer.from(await out.Body!.transformToByteArray());
  }

  async function create(key: string): Promise<string> {
    return (await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }))).UploadId!;
  }

  async function put(key: string, uploadId: string, partNumber: number, body: Buffer): Promise<string> {
    return (await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body }))).ETag!;
  }

  async function complete(key: string, uploadId: string, parts: Array<[number, string]>) {
    return s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts.map(([PartNumber, ETag]) => ({ PartNumber, ETag })) },
      }),
    );
  }

  /** Completes, checks the stored bytes, and says whether the shared file itself became the object. */
  async function completeAndCheck(key: string, uploadId: string, parts: Array<[number, string]>, expected: Buffer): Promise<boolean> {
    const before = await fs.stat(sharedFile(uploadId));
    const done = await complete(key, uploadId, parts);
    assert.match(done.ETag ?? '', new RegExp(`^"[0-9a-f]{32}-${parts.length}"$`));
    const objectFile = await server.objectFilePath(BUCKET, key);
    assert.equal(sha256(await fs.readFile(objectFile)), sha256(expected), 'object file on disk');
    assert.equal(sha256(await getBytes(key)), sha256(expected), 'GetObject');
    // Only the answer stays, for a retried Complete: no part bytes are left behind.
    assert.deepEqual(await fs.readdir(path.dirname(sharedFile(uploadId))), ['completed.json'], 'upload files removed');
    return (await fs.stat(objectFile)).ino === before.ino;
  }

  it('lib-storage Upload (4 parts in flight): exact bytes, and the shared file becomes the object without a copy', async () => {
    const data = randomBytes(4 * 5 * MiB + 4321);
    const file = path.join(workDir, 'upload.bin');
    await fs.writeFile(file, data);
    const upload = new Upload({
      client: s3,
      params: { Bucket: BUCKET, Key: 'lib/upload.mp4', Body: createReadStream(file), ContentLength: data.length },
      partSize: 5 * MiB,
      queueSize: 4,
    });
    let uploadId: string | undefined;
    let ino: number | undefined;
    upload.on('httpUploadProgress', () => void 0);
    // Catch the shared file's inode while parts are arriving.
    const watcher = setInterval(async () => {
      if (ino !== undefined) return;
      const dir = path.join(dataDir, 'buckets', BUCKET, 'uploads');
      for (const id of await fs.readdir(dir).catch(() => [] as string[])) {
        const stat = await fs.stat(sharedFile(id)).catch(() => undefined);
        if (stat && stat.size > 0) {
          uploadId = id;
          ino = stat.ino;
        }
      }
    }, 5);
    try {
      await upload.done();
    } finally {
      clearInterval(watcher);
    }
    const objectFile = await server.objectFilePath(BUCKET, 'lib/upload.mp4');
    assert.equal(sha256(await fs.readFile(objectFile)), sha256(data));
    assert.equal(sha256(await getBytes('lib/upload.mp4')), sha256(data));
    assert.ok(uploadId, 'saw the upload in progress');
    assert.equal((await fs.stat(objectFile)).ino, ino, 'completion renamed the shared file (no copy)');
  });

  it('out-of-order parts: 2, 3, 1 land in their slots (no copy); 3, 1, 2 (small last part first) fall back to a copy', async () => {
    const p1 = randomBytes(5 * MiB);
    const p2 = randomBytes(5 * MiB);
    const p3 = randomBytes(1000);
    const expected = Buffer.concat([p1, p2, p3]);

    const a = await create('order/a.bin');
    const e2 = await put('order/a.bin', a, 2, p2);
    const e3 = await put('order/a.bin', a, 3, p3);
    const e1 = await put('order/a.bin', a, 1, p1);
    assert.equal(await completeAndCheck('order/a.bin', a, [[1, e1], [2, e2], [3, e3]], expected), true);

    const b = await create('order/b.bin');
    const f3 = await put('order/b.bin', b, 3, p3);
    const f1 = await put('order/b.bin', b, 1, p1);
    const f2 = await put('order/b.bin', b, 2, p2);
    assert.equal(await completeAndCheck('order/b.bin', b, [[1, f1], [2, f2], [3, f3]], expected), false);
  });

  it('a retried part (same number, different bytes): the last one wins, the first ETag is refused', async () => {
    const p1 = randomBytes(5 * MiB);
    const p1again = randomBytes(5 * MiB);
    const p2 = randomBytes(2 * MiB);
    const id = await create('retry/x.bin');
    const first = await put('retry/x.bin', id, 1, p1);
    const e2 = await put('retry/x.bin', id, 2, p2);
    const second = await put('retry/x.bin', id, 1, p1again);
    assert.notEqual(first, second);
    const listed = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'retry/x.bin', UploadId: id }));
    assert.deepEqual(listed.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size]), [[1, second, p1again.length], [2, e2, p2.length]]);
    await assert.rejects(complete('retry/x.bin', id, [[1, first], [2, e2]]), { name: 'InvalidPart' });
    // The refused completion changed nothing: the upload completes with the retried bytes.
    assert.equal(await completeAndCheck('retry/x.bin', id, [[1, second], [2, e2]], Buffer.concat([p1again, p2])), false);
  });

  it('parts of other sizes (smaller in the middle, larger than the first) round-trip byte for byte', async () => {
    const p1 = randomBytes(6 * MiB);
    const p2 = randomBytes(5 * MiB); // fits its slot but leaves a gap before part 3's slot
    const p3 = randomBytes(7 * MiB); // larger than the slot: a file of its own
    const p4 = randomBytes(3333);
    const id = await create('sizes/x.bin');
    const e = [await put('sizes/x.bin', id, 1, p1), await put('sizes/x.bin', id, 2, p2), await put('sizes/x.bin', id, 3, p3), await put('sizes/x.bin', id, 4, p4)];
    const expected = Buffer.concat([p1, p2, p3, p4]);
    assert.equal(await completeAndCheck('sizes/x.bin', id, e.map((etag, i) => [i + 1, etag] as [number, string]), expected), false);

    // Completing with a subset (parts 1 and 3 skipped over part 2) also copies the right bytes.
    const id2 = await create('sizes/subset.bin');
    const s1 = await put('sizes/subset.bin', id2, 1, p1);
    await put('sizes/subset.bin', id2, 2, p2);
    const s3e = await put('sizes/subset.bin', id2, 3, p4);
    assert.equal(await completeAndCheck('sizes/subset.bin', id2, [[1, s1], [3, s3e]], Buffer.concat([p1, p4])), false);
  });

  it('completing with only the leading parts truncates the shared file to the object size', async () => {
    const p1 = randomBytes(5 * MiB);
    const p2 = randomBytes(5 * MiB);
    const p3 = randomBytes(5 * MiB);
    const id = await create('prefix/x.bin');
    const e1 = await put('prefix/x.bin', id, 1, p1);
    const e2 = await put('prefix/x.bin', id, 2, p2);
    await put('prefix/x.bin', id, 3, p3);
    assert.equal(await completeAndCheck('prefix/x.bin', id, [[1, e1], [2, e2]], Buffer.concat([p1, p2])), true);
    assert.equal((await fs.stat(await server.objectFilePath(BUCKET, 'prefix/x.bin'))).size, 10 * MiB);
  });

  it('abort removes the parts; the upload can no longer be listed, extended or completed', async () => {
    const id = await create('abort/x.bin');
    const e1 = await put('abort/x.bin', id, 1, randomBytes(5 * MiB));
    await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'abort/x.bin', UploadId: id }));
    await assert.rejects(fs.stat(path.dirname(sharedFile(id))), { code: 'ENOENT' });
    await assert.rejects(s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'abort/x.bin', UploadId: id })), { name: 'NoSuchUpload' });
    await assert.rejects(put('abort/x.bin', id, 2, randomBytes(100)), { name: 'NoSuchUpload' });
    await assert.rejects(complete('abort/x.bin', id, [[1, e1]]), { name: 'NoSuchUpload' });
    await assert.rejects(server.objectFilePath(BUCKET, 'abort/x.bin'), /does not exist/);
  });

  it('keeps slot placement across a restart: parts before and after complete without a copy', async () => {
    const p1 = randomBytes(5 * MiB);
    const p2 = randomBytes(5 * MiB);
    const p3 = randomBytes(10);
    const id = await create('restart/x.bin');
    const e1 = await put('restart/x.bin', id, 1, p1);
    await stop();
    await start();
    const e2 = await put('restart/x.bin', id, 2, p2);
    const e3 = await put('restart/x.bin', id, 3, p3);
    assert.equal(await completeAndCheck('restart/x.bin', id, [[1, e1], [2, e2], [3, e3]], Buffer.concat([p1, p2, p3])), true);
  });

  it('streamed parts (aws-chunked + checksum trailer) with CRC32, CRC32C and CRC64NVME are verified and placed', async () => {
    const data = randomBytes(10 * MiB + 99);
    const file = path.join(workDir, 'streamed.bin');
    await fs.writeFile(file, data);
    for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME'] as ChecksumAlgorithm[]) {
      const key = `streamed/${algorithm}.bin`;
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ChecksumAlgorithm: algorithm }));
      const ranges = [[0, 5 * MiB], [5 * MiB, 10 * MiB], [10 * MiB, data.length]];
      const parts: Array<{ PartNumber: number; ETag: string; ChecksumCRC32?: string; ChecksumCRC32C?: string }> = [];
      for (const [i, [from, to]] of ranges.entries()) {
        const out = await s3.send(
          new UploadPartCommand({
            Bucket: BUCKET,
            Key: key,
            UploadId,
            PartNumber: i + 1,
            Body: createReadStream(file, { start: from, end: to - 1 }),
            ContentLength: to - from,
            ChecksumAlgorithm: algorithm,
          }),
        );
        // A COMPOSITE upload (CRC32, CRC32C) lists each part's checksum; CRC64NVME is FULL_OBJECT.
        parts.push({ PartNumber: i + 1, ETag: out.ETag!, ChecksumCRC32: out.ChecksumCRC32, ChecksumCRC32C: out.ChecksumCRC32C });
      }
      await s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
      assert.equal(sha256(await getBytes(key)), sha256(data), algorithm);
    }
  });

  it('refuses a part or object whose declared checksum does not match, and stores nothing', async () => {
    const body = randomBytes(5 * MiB);
    const id = await create('bad/x.bin');
    for (const [name, value] of [['ChecksumCRC32', 'AAAAAA=='], ['ChecksumCRC32C', 'AAAAAA=='], ['ChecksumCRC64NVME', 'AAAAAAAAAAA=']] as const) {
      await assert.rejects(
        s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'bad/x.bin', UploadId: id, PartNumber: 1, Body: body, [name]: value })),
        { name: 'BadDigest' },
        name,
      );
      await assert.rejects(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'bad/put.bin', Body: body, [name]: value })), { name: 'BadDigest' }, name);
    }
    const listed = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'bad/x.bin', UploadId: id }));
    assert.deepEqual(listed.Parts ?? [], []);
    await assert.rejects(server.objectFilePath(BUCKET, 'bad/put.bin'), /does not exist/);
    // A failed write used part 1's slot; the retry gets a file of its own and still round-trips.
    const ok = await put('bad/x.bin', id, 1, body);
    // CompleteMultipartUpload's per-part checksum (lib-storage sends it) must match the part's.
    await assert.rejects(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: 'bad/x.bin', UploadId: id, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: ok, ChecksumCRC32: 'AAAAAA==' }] } })),
      { name: 'InvalidPart' },
    );
    await completeAndCheck('bad/x.bin', id, [[1, ok]], body);
  });
});

describe('uploadFileInParts (the exporter\'s uploads)', () => {
  it('streams file ranges as parts (CRC32 trailer), re-sends a failed part, and round-trips byte for byte', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hospup-s3fp-data-'));
    const credentials = createRunCredentials();
    const server = await startS3Server({ dataDir, credentials, region: REGION, buckets: [BUCKET] });
    const s3 = new S3Client({ endpoint: server.endpoint, region: REGION, forcePathStyle: true, credentials, maxAttempts: 1 });
    // Fail the first attempt of part 2 before it is sent, as a dropped connection would.
    let failed = false;
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { PartNumber?: number };
        if (context.commandName === 'UploadPartCommand' && input.PartNumber === 2 && !failed) {
          failed = true;
          throw new Error('simulated network failure');
        }
        return next(args);
      },
      { step: 'initialize', name: 'failPart2Once' },
    );
    try {
      const data = randomBytes(12 * MiB + 5);
      const file = path.join(dataDir, 'source.mp4');
      await fs.writeFile(file, data);
      const progress: number[] = [];
      const { uploadFileInParts } = await import('../../electron/services/export/file-upload');
      const out = await uploadFileInParts(s3, { Bucket: BUCKET, Key: 'fp/source.mp4', path: file, size: data.length, partSize: 5 * MiB, queueSize: 2, onProgress: (n) => progress.push(n) });
      assert.equal(failed, true);
      assert.match(out.ETag ?? '', /^"[0-9a-f]{32}-3"$/);
      assert.equal(progress.at(-1), data.length);
      assert.equal(sha256(await fs.readFile(await server.objectFilePath(BUCKET, 'fp/source.mp4'))), sha256(data));
    } finally {
      s3.destroy();
      await server.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});
