/**
 * What an export must remember across a crash or restart, persisted as small JSON files:
 *  - jobs submitted but not yet downloaded, so the same MediaConvert job is resumed instead of
 *    paying for a new render (MediaConvert's ClientRequestToken only dedupes for about a minute);
 *  - multipart uploads in progress, so an interrupted upload sends only its missing parts.
 */
import { readFile } from 'node:fs/promises';
import { writeJsonAtomic } from '../fs-atomic';
import type { VariantReply } from '../../../shared/generator-contract';

export interface JournalEntry {
  jobId: string;
  outputUrl: string;
  duration?: number;
  warnings?: string[];
  /** A variant request: every video and the job that makes it. */
  variants?: VariantReply[];
  submittedAt: number;
}

export interface UploadEntry {
  bucket: string;
  key: string;
  uploadId: string;
  /** The file and part size the upload was started with: a resume needs the same. */
  size: number;
  partSize: number;
  startedAt: number;
}

export interface Journal<T> {
  get(key: string): Promise<T | undefined>;
  set(key: string, entry: T): Promise<void>;
  delete(key: string): Promise<void>;
}

export type JobJournal = Journal<JournalEntry>;
export type UploadJournal = Journal<UploadEntry>;

/** Jobs older than this are ignored: the render will have finished or been cleaned up. */
const JOB_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** Uploads older than this are ignored (the bucket's lifecycle rule aborts them after a few days). */
const UPLOAD_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

export function createJobJournal(file?: string, now: () => number = Date.now): JobJournal {
  return createJournal<JournalEntry>(file, (e) => now() - e.submittedAt < JOB_MAX_AGE_MS);
}

export function createUploadJournal(file?: string, now: () => number = Date.now): UploadJournal {
  return createJournal<UploadEntry>(file, (e) => now() - e.startedAt < UPLOAD_MAX_AGE_MS);
}

function createJournal<T>(file: string | undefined, fresh: (entry: T) => boolean): Journal<T> {
  const memory = new Map<string, T>();
  let loaded = false;
  let writing = Promise.resolve();

  async function load(): Promise<Map<string, T>> {
    if (loaded || !file) return memory;
    loaded = true;
    try {
      const data = JSON.parse(await readFile(file, 'utf8')) as Record<string, T>;
      for (const [key, entry] of Object.entries(data)) if (fresh(entry)) memory.set(key, entry);
    } catch {
      // no journal yet (or unreadable): nothing to resume
    }
    return memory;
  }

  function persist(): Promise<void> {
    if (!file) return Promise.resolve();
    const path = file;
    writing = writing.then(() => writeJsonAtomic(path, Object.fromEntries(memory), { pretty: false }));
    return writing;
  }

  return {
    async get(key) {
      const entry = (await load()).get(key);
      return entry && fresh(entry) ? entry : undefined;
    },
    async set(key, entry) {
      (await load()).set(key, entry);
      await persist();
    },
    async delete(key) {
      if ((await load()).delete(key)) await persist();
    },
  };
}
