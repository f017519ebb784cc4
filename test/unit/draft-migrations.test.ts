// Project files of every version open in this one (migrated), and a newer app's file is refused
// with a reason rather than misread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDraft } from '../../shared/draft-migrations';
import { DRAFT_VERSION } from '../../shared/draft';
import { compileDraft } from '../../shared/compile-draft';

const fixture = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/drafts', name), 'utf8'));

test('a version-1 project file (strict request overlays, no history) opens as the current draft', () => {
  const v1 = fixture('v1-lobby.hospup.json');
  const read = readDraft(v1);
  assert.ok(read.ok, JSON.stringify(!read.ok && read.errors));
  assert.equal(read.fromVersion, 1);
  assert.equal(read.draft.version, DRAFT_VERSION);
  // Nothing is lost on the way: every field of the old file is in the draft.
  const { version: _v, ...rest } = read.draft;
  const { version: _v1, ...old } = v1;
  assert.deepEqual(rest, old);
  assert.equal(read.draft.history, undefined);
  const compiled = compileDraft(read.draft);
  assert.ok(compiled.request);
  assert.deepEqual(compiled.request.text_overlays!.map((o) => o.end_time), [3, 6.5], 'the second text is cut at the end of the video');
});

test('a version-1 file with a numeric overlay id (the request allowed it) gets a string id', () => {
  const v1 = fixture('v1-lobby.hospup.json');
  v1.overlays[0].id = 7;
  const read = readDraft(v1);
  assert.ok(read.ok);
  assert.equal(read.draft.overlays[0].id, '7');
});

test('a version-2 file holds what the editor holds: empty text, a text past the end, a clip of deleted media, undo history', () => {
  const read = readDraft(fixture('v2-with-history.hospup.json'));
  assert.ok(read.ok, JSON.stringify(!read.ok && read.errors));
  assert.equal(read.fromVersion, 2);
  assert.equal(read.draft.overlays[0].content, '');
  assert.equal(read.draft.history?.past.length, 1);
  const compiled = compileDraft(read.draft);
  assert.deepEqual(compiled.leftOut.map((i) => i.code), ['segment-unknown-media', 'overlay-empty']);
});

test('a file from a newer app, or not a project at all, is refused with the reason', () => {
  const newer = readDraft({ ...fixture('v2-with-history.hospup.json'), version: DRAFT_VERSION + 1 });
  assert.ok(!newer.ok);
  assert.equal(newer.newer, true);
  assert.match(newer.errors[0].message, /newer Hospup Studio/);
  const request = readDraft({ property_id: '1', segments: [] });
  assert.ok(!request.ok);
  assert.equal(request.errors[0].path, 'format');
  const broken = readDraft({ ...fixture('v1-lobby.hospup.json'), segments: 'none' });
  assert.ok(!broken.ok);
  assert.equal(broken.errors[0].path, 'segments');
});
