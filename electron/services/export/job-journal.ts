/**
 * Jobs submitted but not yet downloaded, persisted so an export interrupted by a crash, a
 * restart or a lost connection resumes the same MediaConvert job instead of paying for a new
 * render (MediaConvert's ClientRequestToken only dedupes for about a minute).
 */
import { readFile } from 'node:fs/promises';
import { writeJsonAtomic } from '../fs-atomic';

export interface JournalEntry {
  jobId: string;
  outputUrl: string;
  duration?: number;
  warnings?: string[];
  submittedAt: number;
}

export interface JobJournal {
  get(key: string): Promise<JournalEntry | undefined>;
  set(key: string, entry: JournalEntry): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Entries older than this are ignored: the render will have finished or been cleaned up. */
const MAX_AGE_MS = 24 * 60 * 60 * 1000;

export function createJobJournal(file?: string, now: () => number = Date.now): JobJournal {
  const memory = new Map<string, JournalEntry>();
  let loaded = false;
  let writing = Promise.resolve();

  async function load(): Promise<Map<string, JournalEntry>> {
    if (loaded || !file) return memory;
    loaded = true;
    try {
      const data = JSON.parse(await readFile(file, 'utf8')) as Record<string, JournalEntry>;
      for (const [key, entry] of Object.entries(data)) if (now() - entry.submittedAt < MAX_AGE_MS) memory.set(key, entry);
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
      return entry && now() - entry.submittedAt < MAX_AGE_MS ? entry : undefined;
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
