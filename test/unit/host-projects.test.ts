import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Draft } from '../../shared/draft';
import { DRAFT_VERSION, parseDraft } from '../../shared/draft';
import { createProjectStore, type ProjectStore } from '../../electron/services/projects/store';

function edit(project: Draft, name: string, segments = 1): Draft {
  const media = [{ id: 'm1', path: '/clips/a.mp4', name: 'a.mp4', size_bytes: 10, mtime_ms: 1 }];
  return {
    ...project,
    name,
    media,
    segments: Array.from({ length: segments }, (_, i) => ({ id: `s${i}`, media_id: 'm1', start_time: 0, end_time: 1.5 })),
  };
}

describe('project store', () => {
  let dir: string;
  let store: ProjectStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hospup-projects-'));
    store = createProjectStore(join(dir, 'projects'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('creates a draft file at once, and saves / opens it round trip', async () => {
    const { project, path } = await store.create('Summer', '16:9');
    assert.equal(path, join(dir, 'projects', `${project.id}.hospup.json`));
    assert.equal(project.settings.aspect, '16:9');
    assert.ok(parseDraft(JSON.parse(await readFile(path, 'utf8'))).ok);
    const edited = edit(project, 'Summer tour', 3);
    const saved = await store.save(edited);
    const opened = await store.open(project.id);
    assert.equal(opened.recovered, false);
    assert.equal(opened.project.name, 'Summer tour');
    assert.equal(opened.project.segments.length, 3);
    assert.equal(opened.project.updated_at, saved.savedAt);
    assert.deepEqual({ ...opened.project, updated_at: '' }, { ...edited, updated_at: '' });
  });

  it('after a crash, the newer autosave is restored and nothing is lost', async () => {
    const { project } = await store.create('Crash test');
    await store.save(edit(project, 'Saved name', 1));
    await store.autosave(edit(project, 'Autosaved name', 4));
    // A new store = the app restarted.
    const reopened = await createProjectStore(join(dir, 'projects')).open(project.id);
    assert.equal(reopened.recovered, true);
    assert.equal(reopened.project.name, 'Autosaved name');
    assert.equal(reopened.project.segments.length, 4);
    // An explicit save clears the recovery copy.
    await store.save(reopened.project);
    const files = await readdir(join(dir, 'projects'));
    assert.ok(!files.includes(`${project.id}.recovery.json`));
    assert.equal((await store.open(project.id)).recovered, false);
  });

  it('an autosave older than the saved file is not used', async () => {
    const { project } = await store.create('Old autosave');
    await store.autosave(edit(project, 'stale', 1));
    // Simulate a save written later by another copy of the app (the recovery file stays behind).
    const savedFile = join(dir, 'projects', `${project.id}.hospup.json`);
    const later = { ...edit(project, 'fresh', 2), updated_at: new Date(Date.now() + 60_000).toISOString() };
    await writeFile(savedFile, JSON.stringify(later));
    const opened = await store.open(project.id);
    assert.equal(opened.recovered, false);
    assert.equal(opened.project.name, 'fresh');
  });

  it('lists recent projects newest first with duration and segment count', async () => {
    const a = (await store.create('List A')).project;
    const b = (await store.create('List B')).project;
    await store.save(edit(a, 'List A', 2));
    const old = new Date(Date.now() - 3600_000);
    await utimes(join(dir, 'projects', `${b.id}.hospup.json`), old, old);
    const list = await store.list();
    const ia = list.findIndex((p) => p.id === a.id);
    const ib = list.findIndex((p) => p.id === b.id);
    assert.ok(ia >= 0 && ib > ia);
    assert.equal(list[ia].segments, 2);
    assert.equal(list[ia].duration, 3);
    for (let i = 1; i < list.length; i++) assert.ok(list[i - 1].updated_at >= list[i].updated_at);
  });

  it('a damaged file is reported, listed, and never overwritten', async () => {
    const { project } = await store.create('Damaged');
    const file = join(dir, 'projects', `${project.id}.hospup.json`);
    await writeFile(file, '{"format": "hospup-project", "version": 1, "id": ');
    await assert.rejects(store.open(project.id), (err: Error) => /damaged/.test(err.message) && err.message.includes(file));
    const listed = (await store.list()).find((p) => p.id === project.id);
    assert.match(listed!.name, /Damaged project file/);
    // Saving again keeps the damaged bytes aside.
    await store.save(edit(project, 'Repaired', 1));
    const files = await readdir(join(dir, 'projects'));
    const kept = files.find((f) => f.startsWith(`${project.id}.hospup.json.damaged-`));
    assert.ok(kept);
    assert.equal(await readFile(join(dir, 'projects', kept!), 'utf8'), '{"format": "hospup-project", "version": 1, "id": ');
  });

  it('a file with a bad field names the field', async () => {
    const { project } = await store.create('Bad field');
    const file = join(dir, 'projects', `${project.id}.hospup.json`);
    await writeFile(file, JSON.stringify({ ...project, settings: { ...project.settings, fps: -1 } }));
    await assert.rejects(store.open(project.id), /settings\.fps/);
  });

  it('delete moves the draft and its recovery to the trash', async () => {
    const { project } = await store.create('To delete');
    await store.autosave(edit(project, 'To delete', 1));
    await store.delete(project.id);
    assert.ok(!(await store.list()).some((p) => p.id === project.id));
    const trash = await readdir(join(dir, 'projects', 'trash'));
    assert.ok(trash.some((f) => f.startsWith(project.id) && f.endsWith('.hospup.json')));
    assert.ok(trash.some((f) => f.startsWith(project.id) && f.endsWith('.recovery.json')));
    await assert.rejects(store.open(project.id), /No project/);
    await assert.rejects(store.delete(project.id), /No project/);
  });

  it('a version-1 file written by the earlier app opens migrated, saves as the current version, and an empty caption saves', async () => {
    const v1 = JSON.parse(await readFile(join(import.meta.dirname, '../fixtures/drafts/v1-lobby.hospup.json'), 'utf8'));
    await writeFile(join(dir, 'projects', `${v1.id}.hospup.json`), JSON.stringify(v1));
    const opened = await store.open(v1.id);
    assert.equal(opened.project.version, DRAFT_VERSION);
    assert.equal(opened.project.overlays.length, 2);
    const cleared = { ...opened.project, overlays: opened.project.overlays.map((o, i) => (i === 0 ? { ...o, content: '' } : o)) };
    await store.save(cleared);
    const saved = JSON.parse(await readFile(join(dir, 'projects', `${v1.id}.hospup.json`), 'utf8'));
    assert.equal(saved.version, DRAFT_VERSION);
    assert.equal(saved.overlays[0].content, '');
  });

  it('refuses ids that could escape the folder', async () => {
    await assert.rejects(store.open('../settings'), /not a valid project id/);
    const { project } = await store.create('x');
    await assert.rejects(store.save({ ...project, id: '../../evil' }), /not a valid project id/);
  });
});
