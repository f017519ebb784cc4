// Drafts on disk: `projects/<id>.hospup.json` (explicit saves) and `projects/<id>.recovery.json`
// (autosaves). Opening prefers the recovery copy when it is newer, so a crash loses at most the
// last few seconds. A file that does not parse is reported and never overwritten; deleting
// moves files to `projects/trash/`.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { OpenedProject, ProjectSummary } from '../../../shared/api';
import { newDraft, draftDuration, type Draft } from '../../../shared/draft';
import { readDraft } from '../../../shared/draft-migrations';
import { fieldErrorToString } from '../../../shared/validation';
import { readTextIfExists, writeJsonAtomic } from '../fs-atomic';
import { AppError } from '../../../shared/errors';
import type { Aspect } from '../../../shared/output-settings';

const SAVED = '.hospup.json';
const RECOVERY = '.recovery.json';
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** A project that cannot be found or read: the one AppError, named for `instanceof`. */
export class ProjectError extends AppError {
  override name = 'ProjectError';
}

export interface ProjectStore {
  dir: string;
  create(name: string, aspect?: Aspect): Promise<{ project: Draft; path: string }>;
  /** The project (recovery copy when newer); `missingMedia` is filled by the caller. */
  open(id: string): Promise<Omit<OpenedProject, 'missingMedia'>>;
  save(project: Draft): Promise<{ path: string; savedAt: string }>;
  autosave(project: Draft): Promise<void>;
  list(): Promise<ProjectSummary[]>;
  delete(id: string): Promise<void>;
  /** Renames the newest copy and saves it as the project file. */
  rename(id: string, name: string): Promise<ProjectSummary>;
  /** A saved copy of the newest copy: new id, "<name> (copy)", no undo history. */
  duplicate(id: string, copyName: (name: string) => string): Promise<ProjectSummary>;
  savedPath(id: string): string;
}

export function createProjectStore(dir: string, trashDir = join(dir, 'trash'), clock: () => Date = () => new Date()): ProjectStore {
  // Strictly increasing stamps: a save and a later autosave in the same millisecond still order.
  let lastStamp = 0;
  const now = () => {
    lastStamp = Math.max(clock().getTime(), lastStamp + 1);
    return new Date(lastStamp);
  };
  const savedPath = (id: string) => join(dir, `${checkId(id)}${SAVED}`);
  const recoveryPath = (id: string) => join(dir, `${checkId(id)}${RECOVERY}`);
  // Writes to one project run in order: a slow save never lands after a later autosave.
  const queues = new Map<string, Promise<unknown>>();
  function serial<T>(id: string, task: () => Promise<T>): Promise<T> {
    const run = (queues.get(id) ?? Promise.resolve()).then(task);
    const tail = run.catch(() => undefined);
    queues.set(id, tail);
    void tail.then(() => queues.get(id) === tail && queues.delete(id));
    return run;
  }

  /** Reads and parses a draft file: undefined when absent, a ProjectError when broken. */
  async function read(file: string): Promise<{ project: Draft; mtimeMs: number } | undefined> {
    const text = await readTextIfExists(file);
    if (text === undefined) return undefined;
    const mtimeMs = (await stat(file)).mtimeMs;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw ProjectError.of('unreadable', 'The project file {{file}} is damaged (not valid JSON: {{detail}}); it was left untouched', { file, detail: (err as Error).message });
    }
    // Files of every earlier version are migrated; a newer app's file is refused, never overwritten.
    const parsed = readDraft(json);
    if (!parsed.ok) {
      const first = parsed.errors.slice(0, 3).map(fieldErrorToString).join('; ');
      throw ProjectError.of('unreadable', 'The project file {{file}} cannot be read ({{detail}}); it was left untouched', { file, detail: first }, parsed.errors[0]?.path);
    }
    return { project: parsed.draft, mtimeMs };
  }

  /** Before replacing a file that does not parse, keep it beside as `.damaged-<time>` (never lose a byte). */
  async function keepIfDamaged(file: string): Promise<void> {
    try {
      await read(file);
    } catch (err) {
      if (err instanceof ProjectError && err.code === 'unreadable') {
        await rename(file, `${file}.damaged-${now().getTime()}`);
      }
    }
  }

  async function newestCopy(id: string): Promise<{ project: Draft; path: string; recovered: boolean }> {
    const file = savedPath(id);
    let saved: Awaited<ReturnType<typeof read>>;
    let savedError: ProjectError | undefined;
    try {
      saved = await read(file);
    } catch (err) {
      if (!(err instanceof ProjectError)) throw err;
      savedError = err;
    }
    let recovery: Awaited<ReturnType<typeof read>>;
    try {
      recovery = await read(recoveryPath(id));
    } catch (err) {
      // A damaged autosave (killed mid-write is impossible with rename, but disks fail): use the save.
      if (!(err instanceof ProjectError)) throw err;
      console.warn(err.message);
    }
    if (recovery && (!saved || isNewer(recovery, saved))) return { project: recovery.project, path: file, recovered: true };
    if (saved) return { project: saved.project, path: file, recovered: false };
    if (savedError) throw savedError;
    throw ProjectError.of('not-found', 'No project with id "{{id}}" in {{dir}}', { id, dir });
  }

  return {
    dir,
    savedPath,

    async create(name, aspect) {
      const stamp = now().toISOString();
      const project = newDraft({ id: randomUUID(), name: name.trim() || 'Untitled project', now: stamp, aspect });
      const path = savedPath(project.id);
      await serial(project.id, () => writeJsonAtomic(path, project, { fsync: true }));
      return { project, path };
    },

    open: (id) => newestCopy(id),

    async save(project) {
      const path = savedPath(project.id);
      return serial(project.id, async () => {
        const savedAt = now().toISOString();
        await keepIfDamaged(path);
        await writeJsonAtomic(path, { ...project, updated_at: savedAt }, { fsync: true });
        // The save holds everything the autosave had: the recovery copy is no longer needed.
        await rm(recoveryPath(project.id), { force: true });
        return { path, savedAt };
      });
    },

    async autosave(project) {
      const path = recoveryPath(project.id);
      // Compact JSON, no fsync: called every few seconds on large projects.
      return serial(project.id, () => writeJsonAtomic(path, { ...project, updated_at: now().toISOString() }, { pretty: false }));
    },

    async list() {
      await mkdir(dir, { recursive: true });
      const names = await readdir(dir);
      const ids = new Set<string>();
      for (const name of names) {
        if (name.endsWith(SAVED)) ids.add(name.slice(0, -SAVED.length));
        else if (name.endsWith(RECOVERY)) ids.add(name.slice(0, -RECOVERY.length));
      }
      const summaries: ProjectSummary[] = [];
      for (const id of ids) {
        if (!SAFE_ID.test(id)) continue;
        try {
          const { project, path } = await newestCopy(id);
          const file = await stat(path).catch(() => stat(recoveryPath(id)));
          const recovery = await stat(recoveryPath(id)).catch(() => undefined);
          const updatedMs = Math.max(file.mtimeMs, recovery?.mtimeMs ?? 0);
          summaries.push({
            id,
            name: project.name,
            path,
            updated_at: new Date(updatedMs).toISOString(),
            duration: draftDuration(project),
            segments: project.segments.length,
          });
        } catch (err) {
          // A damaged draft stays on disk untouched and stays listed: opening it explains what is wrong.
          if (!(err instanceof ProjectError)) throw err;
          const path = savedPath(id);
          const info = await stat(path).catch(() => undefined);
          summaries.push({ id, name: `Damaged project file (${id})`, path, updated_at: new Date(info?.mtimeMs ?? 0).toISOString(), duration: 0, segments: 0 });
        }
      }
      return summaries.sort((a, b) => b.updated_at.localeCompare(a.updated_at));
    },

    async rename(id, name) {
      const { project } = await newestCopy(id);
      const saved = await this.save({ ...project, name: name.trim() || project.name });
      return summaryOf({ ...project, name: name.trim() || project.name }, saved.path, saved.savedAt);
    },

    async duplicate(id, copyName) {
      const { project } = await newestCopy(id);
      const stamp = now().toISOString();
      const { history: _history, ...rest } = project;
      const copy: Draft = { ...rest, id: randomUUID(), name: copyName(project.name), created_at: stamp, updated_at: stamp };
      const path = savedPath(copy.id);
      await serial(copy.id, () => writeJsonAtomic(path, copy, { fsync: true }));
      return summaryOf(copy, path, stamp);
    },

    async delete(id) {
      return serial(id, async () => {
        await mkdir(trashDir, { recursive: true });
        const stamp = now().toISOString().replace(/[:.]/g, '-');
        let moved = 0;
        for (const [file, suffix] of [[savedPath(id), SAVED], [recoveryPath(id), RECOVERY]] as const) {
          try {
            await rename(file, join(trashDir, `${id}-${stamp}${suffix}`));
            moved++;
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
          }
        }
        if (!moved) throw ProjectError.of('not-found', 'No project with id "{{id}}" in {{dir}}', { id, dir });
      });
    },
  };
}

function summaryOf(project: Draft, path: string, updatedAt: string): ProjectSummary {
  return { id: project.id, name: project.name, path, updated_at: updatedAt, duration: draftDuration(project), segments: project.segments.length };
}

/** Stamps written by this store order the copies; file times break ties (files from elsewhere). */
function isNewer(a: { project: Draft; mtimeMs: number }, b: { project: Draft; mtimeMs: number }): boolean {
  const ta = Date.parse(a.project.updated_at);
  const tb = Date.parse(b.project.updated_at);
  if (Number.isFinite(ta) && Number.isFinite(tb) && ta !== tb) return ta > tb;
  return a.mtimeMs > b.mtimeMs;
}

function checkId(id: string): string {
  if (!SAFE_ID.test(id)) {
    throw ProjectError.of('invalid-id', 'id: "{{id}}" is not a valid project id (letters, digits, "-" and "_" only)', { id: id.slice(0, 40) }, 'id');
  }
  return id;
}
