// The editor store: every edit undoable, a drag (gesture) is one undo step, media and selection are not undone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newDraft } from '../../shared/draft';
import type { MediaItem } from '../../shared/api';
import { redo, undo, useEditor } from '../../renderer/src/store/editor-store';

function media(id: string, duration: number): MediaItem {
  return {
    id,
    path: `/clips/${id}.mp4`,
    name: `${id}.mp4`,
    size_bytes: 1000,
    mtime_ms: 1,
    facts: { duration, width: 360, height: 640, rotation: 0, fps: 30, has_audio: true, video_codec: 'h264', size_bytes: 1000 },
    previewUrl: `/media/${id}/preview`,
    previewStatus: 'ready',
    previewPercent: 100,
    usesProxy: false,
    thumbnailUrl: null,
    filmstripUrl: null,
    filmstripFrames: 0,
  };
}

function fresh() {
  const store = useEditor.getState();
  store.loadProject(newDraft({ id: 'p1', name: 'Test', now: '2026-01-01T00:00:00Z' }));
  store.upsertMediaItems([media('a', 2), media('b', 3)]);
  return useEditor.getState;
}

const past = () => useEditor.temporal.getState().pastStates.length;

test('importing media is not an undo step, adding to the timeline is', () => {
  const get = fresh();
  assert.equal(past(), 0);
  assert.equal(get().media.length, 2);
  get().addMediaToTimeline('a');
  get().addMediaToTimeline('b');
  assert.equal(get().segments.length, 2);
  assert.equal(past(), 2);
  undo();
  assert.equal(get().segments.length, 1);
  redo();
  assert.equal(get().segments.length, 2);
  assert.equal(get().media.length, 2, 'undo leaves the library alone');
});

test('a drag of many small trims is one undo step', () => {
  const get = fresh();
  get().addMediaToTimeline('b');
  const before = past();
  get().beginGesture();
  for (const t of [2.9, 2.5, 2.2, 2.0]) get().trimSegmentAt(0, 'out', t);
  get().endGesture();
  assert.equal(get().segments[0].end_time, 2);
  assert.equal(past(), before + 1);
  undo();
  assert.equal(get().segments[0].end_time, 3);
});

test('selection changes are not undo steps; split selects the right piece', () => {
  const get = fresh();
  get().addMediaToTimeline('b');
  const before = past();
  get().select({ kind: 'none' });
  assert.equal(past(), before);
  const right = get().splitAtTime(1);
  assert.ok(right);
  assert.deepEqual(get().selection, { kind: 'segments', ids: [right] });
  get().deleteSelection();
  assert.equal(get().segments.length, 1);
  undo();
  assert.equal(get().segments.length, 2);
});

test('text overlays: added selected at the playhead, edits undoable', () => {
  const get = fresh();
  get().addMediaToTimeline('b');
  const id = get().addTextOverlay(1, 'Hello');
  assert.deepEqual(get().selection, { kind: 'overlays', ids: [id] });
  const o = get().overlays[0];
  assert.equal(o.start_time, 0, 'a 3 s overlay on a 3 s video starts at 0');
  get().updateOverlay(id, { content: 'Bonjour', position: { y: 80 } });
  assert.equal(get().overlays[0].content, 'Bonjour');
  assert.equal(get().overlays[0].position.x, 50);
  undo();
  assert.equal(get().overlays[0].content, 'Hello');
});

test('getProject composes a valid project with every edit', () => {
  const get = fresh();
  get().addMediaToTimeline('a');
  get().setAspect('1:1');
  const project = get().getProject()!;
  assert.equal(project.id, 'p1');
  assert.deepEqual(project.settings, { aspect: '1:1', width: 1080, height: 1080, fps: 30 });
  assert.equal(project.media.length, 2);
  assert.equal(project.segments.length, 1);
});

test('undo history is saved with the draft (bounded) and works again after loading it', () => {
  const get = fresh();
  for (let i = 0; i < 60; i++) get().setName(`Name ${i}`);
  get().addMediaToTimeline('a');
  undo();
  const saved = get().getDraftForSave()!;
  assert.equal(saved.history!.past.length, 50, 'bounded');
  assert.equal(saved.history!.future.length, 1);
  assert.equal(get().getProject()!.history, undefined, 'exports and templates go without it');
  // A reload: the same JSON loaded into the store again.
  get().loadProject(JSON.parse(JSON.stringify(saved)));
  assert.equal(get().segments.length, 0);
  redo();
  assert.equal(get().segments.length, 1, 'redo after reload');
  undo();
  undo();
  assert.equal(get().name, 'Name 58', 'undo after reload');
});

test('variants: formats and languages are undone; a drag in a non-first format moves only that format; texts per language', () => {
  const get = fresh();
  get().addTextOverlay(0, 'Bienvenue');
  const id = get().overlays[0].id;
  get().setFormatOn('16:9', true);
  get().setLanguageOn('fr', true);
  get().setLanguageOn('en', true);
  assert.deepEqual([get().formats, get().languages], [['9:16', '16:9'], ['fr', 'en']]);
  get().setLanguageOn('fr', false);
  assert.deepEqual(get().languages, ['fr', 'en'], 'the captions\' own language stays while others exist');
  get().placeOverlay(id, '16:9', { position: { x: 50, y: 85 } });
  get().placeOverlay(id, '9:16', { font_size: 90 });
  get().setOverlayText(id, 'en', 'Welcome');
  const o = get().overlays[0];
  assert.deepEqual(o.position, { x: 50, y: 30 }, 'the first format keeps its place');
  assert.deepEqual(o.placements, { '16:9': { position: { x: 50, y: 85 }, font_size: 72 } });
  assert.equal(o.style.font_size, 90);
  assert.deepEqual(o.translations, { en: 'Welcome' });
  const project = get().getProject()!;
  assert.deepEqual([project.formats, project.languages], [['9:16', '16:9'], ['fr', 'en']]);
  for (let i = 0; i < 6; i++) undo();
  assert.equal(get().formats, undefined);
  assert.equal(get().languages, undefined);
  redo();
  assert.deepEqual(get().formats, ['9:16', '16:9']);
});

test('variants: a segment focus per format, and the main format chosen again leads the list', () => {
  const get = fresh();
  get().addMediaToTimeline('a');
  const id = get().segments[0].id;
  get().setFormatOn('1:1', true);
  get().setSegmentFocus(id, '9:16', { x: 20, y: 50 });
  get().setSegmentFocus(id, '1:1', { x: 80, y: 140 });
  assert.deepEqual(get().segments[0].focus, { x: 20, y: 50 });
  assert.deepEqual(get().segments[0].placements, { '1:1': { focus: { x: 80, y: 100 } } });
  get().setAspect('1:1');
  assert.deepEqual(get().formats, ['1:1', '9:16']);
  assert.equal(get().view.format, '1:1');
});

test('variants: saved with the draft and its history; after a reload, undo still takes the formats and languages back', () => {
  const get = fresh();
  get().setFormatOn('4:5', true);
  get().setLanguageOn('fr', true);
  const saved = JSON.parse(JSON.stringify(get().getDraftForSave()));
  assert.deepEqual([saved.formats, saved.languages], [['9:16', '4:5'], ['fr']]);
  get().loadProject(saved);
  assert.deepEqual([get().formats, get().languages], [['9:16', '4:5'], ['fr']]);
  undo();
  assert.equal(get().languages, undefined);
  undo();
  assert.equal(get().formats, undefined, 'a step saved without formats restores a one-video project');
});
