/**
 * On-disk layout of the local S3 store, and its in-memory key index.
 *
 *   <dataDir>/buckets/<bucket>/bucket.json                  creation date
 *   <dataDir>/buckets/<bucket>/objects/<sha256(key)><ext>    the object's bytes, exactly as uploaded
 *   <dataDir>/buckets/<bucket>/objects/<sha256(key)>.json    its metadata (key, size, ETag, headers)
 *   <dataDir>/buckets/<bucket>/uploads/<uploadId>/           multipart uploads in progress:
 *       upload.json, data (parts at their guessed final offsets), placement.json (slot size),
 *       part-NNNNN.json (size, ETag, offset in data) and part-NNNNN.bin (parts not in data);
 *       once completed only completed.json (the answer, so a retried Complete gets it again)
 *   <dataDir>/tmp/                                           bodies being received
 *
 * File names come from a hash of the key, so any key (slashes, `..`, very long, `a` and `a/b`)
 * maps to a safe flat name; the key's extension is kept so tools that sniff by extension
 * (ffmpeg's image2) can read the file directly. Bytes are written to tmp/ then renamed into
 * place, so a reader never sees a partial object and data survives restarts.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { BodyTarget } from './body';
import { compareUtf8 } from './listing';
import { S3Error } from './xml';

export interface ObjectMeta {
  key: string;
  size: number;
  /** Quoted, as S3 returns it: `"<md5>"` or `"<md5-of-md5s>-<parts>"`. */
  etag: string;
  lastModified: string;
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: string;
  /** `x-amz-meta-*` values, names lower-case without the prefix. */
  metadata: Record<string, string>;
  /**
   * The object's checksum (e.g. `{algorithm: 'CRC32', value: 'base64'}`): what the client sent
   * with PutObject (FULL_OBJECT), or what a multipart upload with a checksum algorithm computed
   * (COMPOSITE values end in `-<parts>`).
   */
  checksum?: ObjectChecksum;
  /** Parts of a multipart object, in order (GetObject/HeadObject `partNumber`). */
  parts?: Array<{ partNumber: number; size: number }>;
}

export interface ObjectChecksum {
  algorithm: string;
  value: string;
  type?: ChecksumType;
}

export type ChecksumType = 'COMPOSITE' | 'FULL_OBJECT';

export type ObjectHeaders = Omit<ObjectMeta, 'key' | 'size' | 'etag' | 'lastModified' | 'checksum' | 'parts'>;

export interface UploadMeta {
  uploadId: string;
  key: string;
  initiated: string;
  headers: ObjectHeaders;
  /** `x-amz-checksum-algorithm` / `-type` of CreateMultipartUpload: every part carries it, the object gets one. */
  checksum?: { algorithm: string; type: ChecksumType };
}

/** What a completed upload answered, kept so a retried CompleteMultipartUpload gets the same answer. */
export interface CompletedUpload {
  uploadId: string;
  key: string;
  completed: string;
  /** The parts the Complete named (number and ETag), to recognise a retry of the same request. */
  parts: Array<{ partNumber: number; etag: string }>;
  etag: string;
  checksum?: ObjectChecksum;
}

/** How long a completed upload's answer is kept for retries (AWS does not say; a day is ample). */
const COMPLETED_UPLOAD_TTL_MS = 24 * 3600 * 1000;

export interface PartMeta {
  partNumber: number;
  size: number;
  etag: string;
  lastModified: string;
  /** Checksum the client declared for the part and we verified. */
  checksum?: ObjectChecksum;
}

export const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_OBJECT_SIZE = 5 * 1024 ** 4;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function isValidBucketName(name: string): boolean {
  return BUCKET_NAME.test(name) && !name.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(name);
}

function keyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Keeps a short, plain extension of the key (`.mp4`, `.png`) on the stored file. */
function keyExtension(key: string): string {
  const ext = path.posix.extname(key);
  return /^\.[A-Za-z0-9]{1,8}$/.test(ext) ? ext.toLowerCase() : '';
}

async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(value));
  await fs.rename(tmp, file);
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

interface BucketState {
  name: string;
  creationDate: string;
  objects: Map<string, ObjectMeta>;
  sortedKeys?: string[];
}

export class S3Store {
  private readonly buckets = new Map<string, BucketState>();
  private readonly keyLocks = new Map<string, Promise<void>>();
  private readonly placements = new Map<string, Promise<PlacementState>>();

  constructor(readonly dataDir: string) {}

  private bucketDir(bucket: string): string {
    return path.join(this.dataDir, 'buckets', bucket);
  }

  private objectBase(bucket: string, key: string): string {
    return path.join(this.bucketDir(bucket), 'objects', keyHash(key));
  }

  dataFile(bucket: string, key: string): string {
    return this.objectBase(bucket, key) + keyExtension(key);
  }

  /** Loads every bucket and object index from disk and creates the requested buckets. */
  async init(buckets: string[]): Promise<void> {
    await fs.mkdir(path.join(this.dataDir, 'tmp'), { recursive: true });
    await fs.mkdir(path.join(this.dataDir, 'buckets'), { recursive: true });
    // Bodies left in tmp by a crash are garbage.
    for (const name of await fs.readdir(path.join(this.dataDir, 'tmp'))) {
      await fs.rm(path.join(this.dataDir, 'tmp', name), { force: true, recursive: true });
    }
    for (const name of await fs.readdir(path.join(this.dataDir, 'buckets'))) {
      const info = await readJson<{ creationDate: string }>(path.join(this.bucketDir(name), 'bucket.json'));
      if (!info) continue;
      const state: BucketState = { name, creationDate: info.creationDate, objects: new Map() };
      const objectsDir = path.join(this.bucketDir(name), 'objects');
      for (const file of await fs.readdir(objectsDir).catch(() => [] as string[])) {
        if (!file.endsWith('.json')) continue;
        const meta = await readJson<ObjectMeta>(path.join(objectsDir, file));
        if (meta) state.objects.set(meta.key, meta);
      }
      this.buckets.set(name, state);
      await this.forgetOldCompletions(name);
    }
    for (const name of buckets) {
      if (!this.buckets.has(name)) await this.createBucket(name);
    }
  }

  listBuckets(): Array<{ name: string; creationDate: string }> {
    return [...this.buckets.values()]
      .map((b) => ({ name: b.name, creationDate: b.creationDate }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  hasBucket(bucket: string): boolean {
    return this.buckets.has(bucket);
  }

  private requireBucket(bucket: string): BucketState {
    const state = this.buckets.get(bucket);
    if (!state) throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
    return state;
  }

  async createBucket(bucket: string): Promise<void> {
    if (!isValidBucketName(bucket)) {
      throw new S3Error('InvalidBucketName', 'The specified bucket is not valid.', { BucketName: bucket });
    }
    if (this.buckets.has(bucket)) {
      throw new S3Error('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', { BucketName: bucket });
    }
    const creationDate = new Date().toISOString();
    await fs.mkdir(path.join(this.bucketDir(bucket), 'objects'), { recursive: true });
    await fs.mkdir(path.join(this.bucketDir(bucket), 'uploads'), { recursive: true });
    await writeJsonAtomic(path.join(this.bucketDir(bucket), 'bucket.json'), { creationDate });
    this.buckets.set(bucket, { name: bucket, creationDate, objects: new Map() });
  }

  async deleteBucket(bucket: string): Promise<void> {
    const state = this.requireBucket(bucket);
    if (state.objects.size > 0) {
      throw new S3Error('BucketNotEmpty', 'The bucket you tried to delete is not empty', { BucketName: bucket });
    }
    this.buckets.delete(bucket);
    await fs.rm(this.bucketDir(bucket), { recursive: true, force: true });
  }

  /** Throws NoSuchBucket when absent; returns undefined for a missing key. */
  getObject(bucket: string, key: string): ObjectMeta | undefined {
    return this.requireBucket(bucket).objects.get(key);
  }

  requireObject(bucket: string, key: string): ObjectMeta {
    const meta = this.getObject(bucket, key);
    if (!meta) throw new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: key });
    return meta;
  }

  sortedKeys(bucket: string): string[] {
    const state = this.requireBucket(bucket);
    // S3 lists keys in UTF-8 byte order, not JavaScript's UTF-16 order (listing.ts).
    state.sortedKeys ??= [...state.objects.keys()].sort(compareUtf8);
    return state.sortedKeys;
  }

  /** A fresh path under tmp/ on the same filesystem as the objects (so rename is atomic). */
  tmpFile(): string {
    return path.join(this.dataDir, 'tmp', randomBytes(12).toString('hex'));
  }

  /** Serialises commits to one key so data file and metadata always match. */
  private withKeyLock<T>(bucket: string, key: string, fn: () => Promise<T>): Promise<T> {
    return this.withLock(`${bucket}\n${key}`, fn);
  }

  /** Runs one CompleteMultipartUpload (or abort) of an upload at a time. */
  withUploadLock<T>(bucket: string, uploadId: string, fn: () => Promise<T>): Promise<T> {
    return this.withLock(`${bucket}\nupload\n${uploadId}`, fn);
  }

  private async withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.keyLocks.get(id) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((r) => (release = r));
    const chained = previous.then(() => current);
    this.keyLocks.set(id, chained);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.keyLocks.get(id) === chained) this.keyLocks.delete(id);
    }
  }

  /**
   * Moves a fully received tmp file into place as `key`. `check` sees the key's current object
   * under the key's lock (conditional writes: two `If-None-Match: *` writes cannot both win);
   * when it throws, the tmp file is removed and nothing changes.
   */
  async commitObject(bucket: string, tmpFile: string, meta: ObjectMeta, check?: (current: ObjectMeta | undefined) => void): Promise<ObjectMeta> {
    const state = this.requireBucket(bucket);
    return this.withKeyLock(bucket, meta.key, async () => {
      try {
        check?.(state.objects.get(meta.key));
      } catch (err) {
        await fs.rm(tmpFile, { force: true });
        throw err;
      }
      await fs.rename(tmpFile, this.dataFile(bucket, meta.key));
      await writeJsonAtomic(`${this.objectBase(bucket, meta.key)}.json`, meta);
      if (!state.objects.has(meta.key)) state.sortedKeys = undefined;
      state.objects.set(meta.key, meta);
      return meta;
    });
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    const state = this.requireBucket(bucket);
    await this.withKeyLock(bucket, key, async () => {
      if (!state.objects.has(key)) return;
      state.objects.delete(key);
      state.sortedKeys = undefined;
      await fs.rm(`${this.objectBase(bucket, key)}.json`, { force: true });
      await fs.rm(this.dataFile(bucket, key), { force: true });
    });
  }

  /** Copies an object's bytes to a new tmp file (for CopyObject). */
  async copyToTmp(bucket: string, key: string): Promise<string> {
    this.requireObject(bucket, key);
    const tmp = this.tmpFile();
    await fs.copyFile(this.dataFile(bucket, key), tmp);
    return tmp;
  }

  // ---- multipart uploads ----
  //
  // Each upload has one shared data file. lib-storage (and most clients) send fixed-size parts,
  // so part N of size S belongs at (N-1)*S: the first part to arrive fixes the upload's slot
  // size, and every later part that fits its slot is written there directly. A part whose slot
  // is already taken (a retry, a concurrent duplicate), that is larger than the slot, or whose
  // size is unknown, gets a file of its own. Placement is only a guess: completion checks that
  // the chosen parts lie back to back from offset 0 and then just truncates and renames the
  // shared file; otherwise it copies every part into a new file.

  private uploadDir(bucket: string, uploadId: string): string {
    return path.join(this.bucketDir(bucket), 'uploads', uploadId);
  }

  private sharedDataFile(bucket: string, uploadId: string): string {
    return path.join(this.uploadDir(bucket, uploadId), 'data');
  }

  private placementFile(bucket: string, uploadId: string): string {
    return path.join(this.uploadDir(bucket, uploadId), 'placement.json');
  }

  async createUpload(bucket: string, key: string, headers: ObjectHeaders, checksum?: UploadMeta['checksum']): Promise<UploadMeta> {
    this.requireBucket(bucket);
    const upload: UploadMeta = {
      uploadId: randomBytes(24).toString('hex'),
      key,
      initiated: new Date().toISOString(),
      headers,
      ...(checksum && { checksum }),
    };
    await fs.mkdir(this.uploadDir(bucket, upload.uploadId), { recursive: true });
    await fs.writeFile(this.sharedDataFile(bucket, upload.uploadId), '');
    await writeJsonAtomic(path.join(this.uploadDir(bucket, upload.uploadId), 'upload.json'), upload);
    return upload;
  }

  async getUpload(bucket: string, key: string, uploadId: string): Promise<UploadMeta> {
    this.requireBucket(bucket);
    const upload = /^[0-9a-f]{48}$/.test(uploadId)
      ? await readJson<UploadMeta>(path.join(this.uploadDir(bucket, uploadId), 'upload.json'))
      : undefined;
    if (!upload || upload.key !== key) {
      throw new S3Error(
        'NoSuchUpload',
        'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
        { UploadId: uploadId },
      );
    }
    return upload;
  }

  /** The recorded answer of a completed upload of `key`, if it is still kept. */
  async completedUpload(bucket: string, key: string, uploadId: string): Promise<CompletedUpload | undefined> {
    this.requireBucket(bucket);
    if (!/^[0-9a-f]{48}$/.test(uploadId)) return undefined;
    const done = await readJson<CompletedUpload>(this.completedFile(bucket, uploadId));
    return done?.key === key ? done : undefined;
  }

  private completedFile(bucket: string, uploadId: string): string {
    return path.join(this.uploadDir(bucket, uploadId), 'completed.json');
  }

  async listUploads(bucket: string): Promise<UploadMeta[]> {
    this.requireBucket(bucket);
    const dir = path.join(this.bucketDir(bucket), 'uploads');
    const uploads: UploadMeta[] = [];
    for (const id of await fs.readdir(dir).catch(() => [] as string[])) {
      const upload = await readJson<UploadMeta>(path.join(dir, id, 'upload.json'));
      if (upload) uploads.push(upload);
    }
    return uploads.sort((a, b) => compareUtf8(a.key, b.key) || (a.initiated < b.initiated ? -1 : 1));
  }

  private partFile(bucket: string, uploadId: string, partNumber: number): string {
    return path.join(this.uploadDir(bucket, uploadId), `part-${String(partNumber).padStart(5, '0')}`);
  }

  /** In-memory slot state of an upload, loaded once from disk (so it survives restarts). */
  private placementState(bucket: string, uploadId: string): Promise<PlacementState> {
    const id = `${bucket}\n${uploadId}`;
    let state = this.placements.get(id);
    if (!state) {
      state = (async (): Promise<PlacementState> => {
        const saved = await readJson<{ slotSize: number }>(this.placementFile(bucket, uploadId));
        const hasShared = await fs.stat(this.sharedDataFile(bucket, uploadId)).then(() => true, () => false);
        const taken = new Set<number>();
        const dir = this.uploadDir(bucket, uploadId);
        for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
          if (!/^part-\d{5}\.json$/.test(name)) continue;
          const part = await readJson<StoredPart>(path.join(dir, name));
          if (part?.offset !== undefined) taken.add(part.partNumber);
        }
        return { enabled: hasShared, slotSize: saved?.slotSize, taken, writing: 0 };
      })();
      this.placements.set(id, state);
    }
    return state;
  }

  /**
   * Where to write part `partNumber` of `size` bytes (undefined when the client did not say):
   * its slot in the shared file when free and large enough, else a new file of its own.
   * Call `release` once the write has ended, whatever the outcome.
   */
  async placePart(bucket: string, upload: UploadMeta, partNumber: number, size: number | undefined): Promise<PartPlacement> {
    const state = await this.placementState(bucket, upload.uploadId);
    const own = (): PartPlacement => ({ target: { file: this.tmpFile() }, release: () => {} });
    if (!state.enabled || size === undefined || state.taken.has(partNumber)) return own();
    if (state.slotSize === undefined) {
      if (size === 0) return own();
      state.slotSize = size;
      await writeJsonAtomic(this.placementFile(bucket, upload.uploadId), { slotSize: size });
      if (state.taken.has(partNumber)) return own(); // claimed by a duplicate during the await
    }
    // Past S3's 5 TiB object limit a slot can only be a wrong guess (and may exceed the filesystem's).
    if (size > state.slotSize || (partNumber - 1) * state.slotSize + size > MAX_OBJECT_SIZE) return own();
    // Claimed for good: a failed or superseded write leaves bytes there that nothing points at.
    state.taken.add(partNumber);
    state.writing++;
    let released = false;
    return {
      target: { file: this.sharedDataFile(bucket, upload.uploadId), offset: (partNumber - 1) * state.slotSize },
      release: () => {
        if (!released) state.writing--;
        released = true;
      },
    };
  }

  /** Records a fully received part; `target` is where `placePart` said to write it. */
  async commitPart(bucket: string, upload: UploadMeta, target: BodyTarget, part: PartMeta & { md5Hex: string }): Promise<void> {
    const file = this.partFile(bucket, upload.uploadId, part.partNumber);
    if (target.offset !== undefined) {
      // The bytes are already in place: the metadata is the commit.
      await writeJsonAtomic(`${file}.json`, { ...part, offset: target.offset } satisfies StoredPart);
      return;
    }
    // Write the metadata first under a temporary name so a part file never exists without it.
    await writeJsonAtomic(`${file}.json.pending`, part);
    await fs.rename(target.file, `${file}.bin`);
    await fs.rename(`${file}.json.pending`, `${file}.json`);
  }

  async listParts(bucket: string, upload: UploadMeta): Promise<StoredPart[]> {
    const dir = this.uploadDir(bucket, upload.uploadId);
    const parts: StoredPart[] = [];
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
      if (!/^part-\d{5}\.json$/.test(name)) continue;
      const part = await readJson<StoredPart>(path.join(dir, name));
      if (part) parts.push(part);
    }
    return parts.sort((a, b) => a.partNumber - b.partNumber);
  }

  async abortUpload(bucket: string, upload: UploadMeta): Promise<void> {
    this.placements.delete(`${bucket}\n${upload.uploadId}`);
    await fs.rm(this.uploadDir(bucket, upload.uploadId), { recursive: true, force: true });
  }

  /**
   * Assembles the chosen parts into the final object. `chosen` must already be validated
   * (ascending, ETags matching, sizes) by the caller, and the call made under `withUploadLock`.
   * `finish` sees the assembled file before it becomes the object (a full-object checksum is
   * computed there) and returns the object's checksum; `check` is `commitObject`'s.
   */
  async completeUpload(
    bucket: string,
    upload: UploadMeta,
    chosen: StoredPart[],
    options: { finish?: (file: string) => Promise<ObjectChecksum | undefined>; check?: (current: ObjectMeta | undefined) => void } = {},
  ): Promise<ObjectMeta> {
    const size = chosen.reduce((sum, p) => sum + p.size, 0);
    const state = await this.placementState(bucket, upload.uploadId);
    let offset = 0;
    const inPlace = chosen.every((p) => {
      const ok = p.offset === offset;
      offset += p.size;
      return ok;
    });
    // A part still being written into the shared file would land in the object: copy instead.
    const takeShared = inPlace && state.writing === 0;
    if (takeShared) state.enabled = false; // from now on, parts of this upload get files of their own
    const tmp = takeShared ? await this.takeSharedFile(bucket, upload, size) : await this.copyParts(bucket, upload, chosen);
    const md5s = Buffer.concat(chosen.map((p) => Buffer.from(p.md5Hex, 'hex')));
    const meta: ObjectMeta = {
      ...upload.headers,
      key: upload.key,
      size,
      etag: `"${createHash('md5').update(md5s).digest('hex')}-${chosen.length}"`,
      lastModified: new Date().toISOString(),
      parts: chosen.map((p) => ({ partNumber: p.partNumber, size: p.size })),
    };
    try {
      const checksum = await options.finish?.(tmp);
      if (checksum) meta.checksum = checksum;
      await this.commitObject(bucket, tmp, meta, options.check);
    } catch (err) {
      // Give the shared file back so the upload can still be completed (parts beyond `size`, if any, are lost).
      if (takeShared) {
        await fs.rename(tmp, this.sharedDataFile(bucket, upload.uploadId)).catch(() => {});
        state.enabled = true;
      } else await fs.rm(tmp, { force: true });
      throw err;
    }
    await this.recordCompletion(bucket, upload, chosen, meta);
    return meta;
  }

  /** Replaces the upload's files by its answer: it is no longer listed, and a retry gets the same result. */
  private async recordCompletion(bucket: string, upload: UploadMeta, chosen: StoredPart[], meta: ObjectMeta): Promise<void> {
    this.placements.delete(`${bucket}\n${upload.uploadId}`);
    const dir = this.uploadDir(bucket, upload.uploadId);
    const done: CompletedUpload = {
      uploadId: upload.uploadId,
      key: upload.key,
      completed: meta.lastModified,
      parts: chosen.map((p) => ({ partNumber: p.partNumber, etag: p.etag })),
      etag: meta.etag,
      ...(meta.checksum && { checksum: meta.checksum }),
    };
    await writeJsonAtomic(this.completedFile(bucket, upload.uploadId), done);
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
      if (name !== 'completed.json') await fs.rm(path.join(dir, name), { recursive: true, force: true });
    }
  }

  /** Drops the kept answers of uploads completed more than a day ago. */
  private async forgetOldCompletions(bucket: string): Promise<void> {
    const dir = path.join(this.bucketDir(bucket), 'uploads');
    for (const id of await fs.readdir(dir).catch(() => [] as string[])) {
      const done = await readJson<CompletedUpload>(this.completedFile(bucket, id)).catch(() => undefined);
      if (done && Date.now() - Date.parse(done.completed) > COMPLETED_UPLOAD_TTL_MS) {
        await fs.rm(path.join(dir, id), { recursive: true, force: true });
      }
    }
  }

  /** The shared file, cut to `size`, moved to tmp/: no byte is copied. */
  private async takeSharedFile(bucket: string, upload: UploadMeta, size: number): Promise<string> {
    const tmp = this.tmpFile();
    await fs.rename(this.sharedDataFile(bucket, upload.uploadId), tmp);
    // Usually already `size` long (the last part ends the file); longer when unchosen parts lie beyond.
    if ((await fs.stat(tmp)).size !== size) await fs.truncate(tmp, size);
    return tmp;
  }

  /** Copies every part, from its slot or its own file, into a new tmp file (large buffered I/O). */
  private async copyParts(bucket: string, upload: UploadMeta, chosen: StoredPart[]): Promise<string> {
    const tmp = this.tmpFile();
    const out = await fs.open(tmp, 'w');
    const buffer = Buffer.allocUnsafe(8 * 1024 * 1024);
    try {
      for (const part of chosen) {
        const inShared = part.offset !== undefined;
        const input = await fs.open(inShared ? this.sharedDataFile(bucket, upload.uploadId) : `${this.partFile(bucket, upload.uploadId, part.partNumber)}.bin`, 'r');
        try {
          for (let done = 0; done < part.size; ) {
            const want = Math.min(buffer.length, part.size - done);
            const { bytesRead } = await input.read(buffer, 0, want, (part.offset ?? 0) + done);
            if (bytesRead === 0) throw new Error(`part ${part.partNumber} is shorter on disk than its ${part.size} bytes`);
            await out.write(buffer, 0, bytesRead);
            done += bytesRead;
          }
        } finally {
          await input.close();
        }
      }
    } catch (err) {
      await out.close().catch(() => {});
      await fs.rm(tmp, { force: true });
      throw err;
    }
    await out.close();
    return tmp;
  }
}

interface PlacementState {
  /** False for uploads without a shared file (created before it existed). */
  enabled: boolean;
  slotSize?: number;
  /** Part numbers whose slot has been handed out (never handed out twice). */
  taken: Set<number>;
  /** Writes into the shared file still in progress. */
  writing: number;
}

export interface PartPlacement {
  target: BodyTarget;
  release(): void;
}

export interface StoredPart extends PartMeta {
  md5Hex: string;
  /** Offset in the upload's shared data file; absent when the part has a file of its own. */
  offset?: number;
}
