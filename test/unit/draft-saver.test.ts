// Saving never fails silently: save / autosave / close of the editor's saver against the real
// host services (through the same argument validation as IPC/HTTP) on a disk that fails.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rename, rm, utimes, writeFile, readdir, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHostServices, type HostServicesRuntime } from '../../electron/services/host-services';
import { callHostMethod, toPlainError } from '../../electron/services/host-call';
import { removeStaleTemps } from '../../electron/services/fs-atomic';
import { hostErrorFrom } from '../../renderer/src/host/errors';
import { createDraftSaver, createJournal, type JournalStorage, type SaveState } from '../../renderer/src/app/draft-saver';
import type { Draft } from '../../shared/draft';

let dir: string;
let services: HostServicesRuntime;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hospup-saver-'));
  services = createHostServices({ dataDir: join(dir, 'data'), exportDir: join(dir, 'exports'), mode: 'web', version: 't', systemLocale: 'en', urls: { media: () => '' } });
});
after(async () => {
  await services.close();
  await rm(dir, { recursive: true, force: true });
});

/** The host as the renderer sees it: JSON across, validated, errors as HostErrors. */
const call = (method: 'saveProject' | 'autosaveProject' | 'openProject' | 'createProject', ...args: unknown[]) =>
  callHostMethod(services, method, JSON.parse(JSON.stringify(args))).catch((err) => {
    throw hostErrorFrom(toPlainError(err));
  });
const host = { saveProject: (d: Draft) => call('saveProject', d), autosaveProject: (d: Draft) => call('autosaveProject', d) };

function memoryStorage(): JournalStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

/** A saver over an editable draft, with timers the test fires by hand. */
async function setup(storage = memoryStorage()) {
  const opened = (await call('createProject', 'Lobby')) as { project: Draft };
  let draft: Draft = opened.project;
  let revision = 0;
  const timers: (() => void)[] = [];
  const states: SaveState[] = [];
  const journal = createJournal(storage);
  const saver = createDraftSaver({
    host,
    journal,
    current: () => ({ draft, revision }),
    onState: (s) => states.push(s),
    setTimer: (fn) => timers.push(fn),
    clearTimer: () => undefined,
  });
  saver.opened(0);
  return {
    saver,
    journal,
    storage,
    states,
    get draft() {
      return draft;
    },
    edit(change: Partial<Draft>) {
      draft = { ...draft, ...change };
      revision++;
      saver.changed();
    },
    async fireTimers() {
      for (const fn of timers.splice(0)) fn();
      await new Promise((r) => setTimeout(r, 50));
    },
  };
}

const caption = (content: string) => ({ id: 't1', content, start_time: 0, end_time: 2, position: { x: 50, y: 30 }, style: { color: '#FFFFFF', font_size: 72 } });

test('an empty caption is saved (it used to make every later autosave fail with a 400)', async () => {
  const s = await setup();
  s.edit({ overlays: [caption('')] });
  assert.ok(await s.saver.flush());
  s.edit({ name: 'Lobby renamed' });
  assert.ok(await s.saver.flush());
  assert.equal(s.states.at(-1)?.status, 'saved');
  const reopened = (await call('openProject', s.draft.id)) as { project: Draft };
  assert.equal(reopened.project.name, 'Lobby renamed');
  assert.equal(reopened.project.overlays[0].content, '');
  assert.equal(s.storage.map.size, 0, 'nothing left in the journal once the host has it');
});

test('a failing disk: the change stays in memory and the journal, the failure is reported, retries until a save works', async () => {
  const s = await setup();
  const projects = services.paths.projects;
  s.edit({ name: 'Before the failure' });
  assert.ok(await s.saver.flush());

  // The disk fails: the projects folder is replaced by a file (real ENOTDIR/EEXIST, also as root).
  await rename(projects, `${projects}.away`);
  await writeFile(projects, 'not a folder');
  s.edit({ name: 'Trimmed and renamed' });
  const journaled = s.journal.read(s.draft.id);
  assert.equal(journaled?.draft.name, 'Trimmed and renamed', 'journaled as soon as it changed');
  assert.equal(await s.saver.flush(), false);
  const failed = s.states.at(-1)!;
  assert.equal(failed.status, 'failed');
  assert.ok(failed.error instanceof Error && failed.error.message.length > 0, 'the reason reaches the UI');
  assert.ok(failed.retryAt! > Date.now());
  assert.equal(s.saver.hasUnsavedChanges(), true);
  assert.equal(s.journal.read(s.draft.id)?.draft.name, 'Trimmed and renamed');

  // Closing now would lose the change: close says no.
  assert.equal(await s.saver.close(), false);

  // A retry while still failing fails again, and reports again.
  await s.fireTimers();
  assert.equal(s.states.at(-1)?.status, 'failed');

  // The disk is back: the next retry saves, and only then the journal entry goes.
  await rm(projects);
  await rename(`${projects}.away`, projects);
  await s.fireTimers();
  assert.equal(s.states.at(-1)?.status, 'saved');
  assert.equal(s.journal.read(s.draft.id), undefined);
  assert.equal(s.saver.hasUnsavedChanges(), false);
  const reopened = (await call('openProject', s.draft.id)) as { project: Draft; recovered: boolean };
  assert.equal(reopened.project.name, 'Trimmed and renamed');
  assert.equal(await s.saver.close(), true, 'close writes the project file itself');
  assert.equal(((await call('openProject', s.draft.id)) as { recovered: boolean }).recovered, false);
});

test('after a reload, a change that never reached the host is still in the journal of this window', async () => {
  const storage = memoryStorage();
  const s = await setup(storage);
  const projects = services.paths.projects;
  await rename(projects, `${projects}.away`);
  await writeFile(projects, 'x');
  try {
    s.edit({ name: 'Not saved yet' });
    assert.equal(await s.saver.flush(), false);
  } finally {
    await rm(projects);
    await rename(`${projects}.away`, projects);
  }
  // "Reload": a new journal over the same storage.
  const entry = createJournal(storage).read(s.draft.id);
  assert.equal(entry?.draft.name, 'Not saved yet');
  const onDisk = (await call('openProject', s.draft.id)) as { project: Draft };
  assert.ok(entry!.at > Date.parse(onDisk.project.updated_at), 'newer than the file: the session restores it');
});

test('leftover temporary files of interrupted writes are removed, finished files and fresh temps kept', async () => {
  const folder = join(dir, 'temps');
  await mkdir(folder, { recursive: true });
  const old = Date.now() / 1000 - 3600;
  const files = {
    crashed: 'p1.hospup.json.99999.0123abcd.tmp',
    fresh: 'p2.hospup.json.99998.89abcdef.tmp',
    ours: `p3.hospup.json.${process.pid}.deadbeef.tmp`,
    project: 'p1.hospup.json',
  };
  for (const name of Object.values(files)) await writeFile(join(folder, name), '{}');
  for (const name of [files.crashed, files.ours, files.project]) await utimes(join(folder, name), old, old);
  assert.deepEqual(await removeStaleTemps(folder), [files.crashed]);
  assert.deepEqual((await readdir(folder)).sort(), [files.fresh, files.ours, files.project].sort());

  // The host cleans its folders when it starts.
  const dataDir = join(dir, 'data2');
  await mkdir(join(dataDir, 'projects'), { recursive: true });
  await writeFile(join(dataDir, 'projects', files.crashed), '{"half": ');
  await utimes(join(dataDir, 'projects', files.crashed), old, old);
  const started = createHostServices({ dataDir, exportDir: join(dir, 'e2'), mode: 'web', version: 't', systemLocale: 'en', urls: { media: () => '' } });
  await started.listProjects();
  assert.ok(!(await readdir(join(dataDir, 'projects'))).includes(files.crashed));
  await started.close();
});

test('editing never asks for the saved draft (its undo history costs milliseconds to encode): only saves do', async () => {
  const opened = (await call('createProject', 'Pool')) as { project: Draft };
  let draft: Draft = opened.project;
  let revision = 0;
  let fullDrafts = 0;
  const storage = memoryStorage();
  const timers: (() => void)[] = [];
  const saver = createDraftSaver({
    host,
    journal: createJournal(storage),
    current: () => {
      fullDrafts++;
      return { draft: { ...draft, history: { past: [], future: [] } }, revision };
    },
    currentForJournal: () => ({ draft, revision }),
    revision: () => revision,
    onState: () => undefined,
    setTimer: (fn) => timers.push(fn),
    clearTimer: () => undefined,
  });
  saver.opened(0);
  for (let i = 0; i < 100; i++) {
    draft = { ...draft, name: `Pool ${i}` };
    revision++;
    saver.changed();
    assert.ok(saver.hasUnsavedChanges());
  }
  assert.equal(fullDrafts, 0, 'changes, journal writes and unsaved checks use the revision and the journal draft');
  const entry = JSON.parse([...storage.map.values()][0]);
  assert.equal(entry.draft.history, undefined, 'the journal holds the content, not the history');
  for (const fn of timers.splice(0)) fn();
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(fullDrafts, 1, 'the autosave takes the draft with its history once');
  assert.ok(!saver.hasUnsavedChanges());
  saver.dispose();
});
