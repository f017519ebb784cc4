/**
 * Saving that never fails silently. The saver holds the open draft's save state; every change
 * goes first into a recovery journal in this window's storage (synchronous, survives a reload
 * or a host that cannot write), then to the host as an autosave a moment later. A failed write
 * keeps the draft in memory and in the journal, says so in plain words with what to do, and
 * retries with growing delays until a save succeeds; only then is the journal entry dropped.
 *
 * No DOM, no stores: the session wires it to the host, localStorage and the editor store, and
 * the tests drive it with a real host whose disk fails.
 */
import type { Draft } from '../../../shared/draft';

export type SaveStatus =
  /** Everything is on disk. */
  | 'saved'
  /** Changes wait for the next autosave (a few seconds). */
  | 'pending'
  | 'saving'
  /** The last write failed: the draft is only in memory and the journal. */
  | 'failed';

export interface SaveState {
  status: SaveStatus;
  /** Why the last write failed (the host's error), while `failed`. */
  error?: unknown;
  /** When the next automatic retry happens (ms since epoch), while `failed`. */
  retryAt?: number;
}

export interface SaverHost {
  saveProject(draft: Draft): Promise<unknown>;
  autosaveProject(draft: Draft): Promise<unknown>;
}

/** Key/value storage with the shape of `localStorage` (writes may throw: quota, private mode). */
export interface JournalStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface JournalEntry {
  draft: Draft;
  /** When the entry was written (ms). */
  at: number;
}

const JOURNAL_PREFIX = 'hospup.journal.';
const JOURNAL_THROTTLE_MS = 250;

/** The recovery journal: the newest unsaved draft of each project, in this window's storage. */
export function createJournal(storage: JournalStorage | null) {
  return {
    write(draft: Draft, at: number): boolean {
      try {
        storage?.setItem(JOURNAL_PREFIX + draft.id, JSON.stringify({ draft, at } satisfies JournalEntry));
        return !!storage;
      } catch {
        return false;
      }
    },
    read(projectId: string): JournalEntry | undefined {
      try {
        const text = storage?.getItem(JOURNAL_PREFIX + projectId);
        const entry = text ? (JSON.parse(text) as JournalEntry) : undefined;
        return entry?.draft?.id === projectId ? entry : undefined;
      } catch {
        return undefined;
      }
    },
    clear(projectId: string): void {
      try {
        storage?.removeItem(JOURNAL_PREFIX + projectId);
      } catch {
        /* nothing to clear */
      }
    },
  };
}
export type Journal = ReturnType<typeof createJournal>;

export interface SaverOptions {
  host: SaverHost;
  journal: Journal;
  /** The open draft and its revision (bumped by every change). */
  current(): { draft: Draft; revision: number } | null;
  /**
   * The open draft for the recovery journal, written up to 4 times a second while editing: the
   * content without the undo history (encoding it costs milliseconds on a long project; the
   * history reaches disk with each autosave). Default: `current()`'s draft.
   */
  currentForJournal?(): { draft: Draft; revision: number } | null;
  /** The open draft's revision alone (cheap: checked on every change); default: `current()`'s. */
  revision?(): number | null;
  onState(state: SaveState): void;
  autosaveDelayMs?: number;
  /** Retry delays after failures; the last one repeats. */
  retryDelaysMs?: readonly number[];
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export interface DraftSaver {
  /** A draft was opened at `revision` (the host has it as it is; `fileBehind`: only in the recovery copy). */
  opened(revision: number, opts?: { fileBehind?: boolean }): void;
  /** The draft changed: journal now, autosave soon. */
  changed(): void;
  /** Write the recovery copy now if anything changed. Resolves true when the host has it. */
  flush(): Promise<boolean>;
  /** Explicit save into the project file. Resolves true on success. */
  save(): Promise<boolean>;
  /** Closing: save into the project file. Resolves true when closing loses nothing. */
  close(): Promise<boolean>;
  /** True when something is not on disk yet (a window closing now would lose it without the journal). */
  hasUnsavedChanges(): boolean;
  state(): SaveState;
  dispose(): void;
}

export function createDraftSaver(opts: SaverOptions): DraftSaver {
  const now = opts.now ?? Date.now;
  const setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = opts.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  const autosaveDelay = opts.autosaveDelayMs ?? 2000;
  const retryDelays = opts.retryDelaysMs ?? [2000, 5000, 15_000, 30_000, 60_000];

  let savedRevision = 0;
  /** Revision last written to the project file itself; -1: the file is behind the recovery copy. */
  let fileRevision = 0;
  let failures = 0;
  let timer: unknown = null;
  let running: Promise<boolean> | null = null;
  const revisionNow = opts.revision ?? (() => opts.current()?.revision ?? null);
  let current: SaveState = { status: 'saved' };
  // Journal writes are throttled (a drag changes the draft on every pointer move); the last one always lands.
  let lastJournalAt = -Infinity;
  let journalTimer: unknown = null;
  const journalNow = () => {
    if (journalTimer !== null) clearTimer(journalTimer);
    journalTimer = null;
    const open = (opts.currentForJournal ?? opts.current)();
    if (open && open.revision !== savedRevision) opts.journal.write(open.draft, now());
    lastJournalAt = now();
  };
  const journalSoon = () => {
    if (now() - lastJournalAt >= JOURNAL_THROTTLE_MS) journalNow();
    else journalTimer ??= setTimer(journalNow, JOURNAL_THROTTLE_MS);
  };

  const setState = (state: SaveState) => {
    current = state;
    opts.onState(state);
  };
  const cancelTimer = () => {
    if (timer !== null) clearTimer(timer);
    timer = null;
  };
  const schedule = (ms: number) => {
    cancelTimer();
    timer = setTimer(() => {
      timer = null;
      void flush();
    }, ms);
  };

  /** One write at a time; a later request waits for the one in flight. */
  async function write(kind: 'autosave' | 'save'): Promise<boolean> {
    while (running) await running;
    const openRevision = revisionNow();
    if (openRevision === null) return true;
    if (kind === 'autosave' && openRevision === savedRevision) return true;
    if (kind === 'save' && openRevision === fileRevision) return true;
    const open = opts.current();
    if (!open) return true;
    const { draft, revision } = open;
    cancelTimer();
    setState({ status: 'saving' });
    running = (kind === 'save' ? opts.host.saveProject(draft) : opts.host.autosaveProject(draft)).then(
      () => {
        failures = 0;
        savedRevision = revision;
        if (kind === 'save') fileRevision = revision;
        if (revisionNow() === revision) {
          // The host has everything this window had: the journal entry is no longer needed.
          opts.journal.clear(draft.id);
          lastJournalAt = -Infinity;
          setState({ status: 'saved' });
        } else {
          setState({ status: 'pending' });
          schedule(autosaveDelay);
        }
        return true;
      },
      (error: unknown) => {
        // Kept in memory and in the journal; try again later, and say so.
        const delay = retryDelays[Math.min(failures, retryDelays.length - 1)];
        failures++;
        opts.journal.write(draft, now());
        setState({ status: 'failed', error, retryAt: now() + delay });
        schedule(delay);
        return false;
      },
    );
    try {
      return await running;
    } finally {
      running = null;
    }
  }

  function flush(): Promise<boolean> {
    return write('autosave');
  }

  return {
    opened(revision, o = {}) {
      cancelTimer();
      failures = 0;
      savedRevision = revision;
      fileRevision = o.fileBehind ? -1 : revision;
      setState({ status: 'saved' });
    },
    changed() {
      const revision = revisionNow();
      if (revision === null || revision === savedRevision) return;
      journalSoon();
      // While failing, the retry timer decides when to try again.
      if (current.status === 'failed') return;
      setState({ status: 'pending' });
      schedule(autosaveDelay);
    },
    flush,
    save: () => write('save'),
    close: () => write('save'),
    hasUnsavedChanges() {
      const revision = revisionNow();
      return revision !== null && (revision !== savedRevision || current.status === 'failed' || current.status === 'saving');
    },
    state: () => current,
    dispose() {
      cancelTimer();
      if (journalTimer !== null) clearTimer(journalTimer);
      journalTimer = null;
    },
  };
}
