// compileDraft: any draft the editor can hold compiles to a request that validates, or says why
// it cannot; everything left out or changed is listed. Property-based (fast-check) plus the
// cases people actually hit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileDraft } from '../../shared/compile-draft';
import { DraftSchema, newDraft, type Draft, type MediaRef } from '../../shared/draft';
import { FONT_FAMILIES, MAX_OVERLAYS, MAX_SEGMENTS, parseGenerationRequest } from '../../shared/request';

const facts = (duration: number, fps = 30) => ({ duration, width: 1080, height: 1920, rotation: 0, fps, has_audio: true, video_codec: 'h264', size_bytes: 1000 });

// A fixed seed in npm test, so CI gives the same answer for the same code; `HOSPUP_FUZZ_SEED`
// explores others (as in npm run fuzz).
const SEED = Number(process.env.HOSPUP_FUZZ_SEED ?? 20261202);

/* ------------------------------------------------------------ arbitraries */

// Times as the editor makes them (frames of 24..60 fps) and as hand-edited files hold them.
const time = fc.oneof(
  fc.integer({ min: 0, max: 900 }).map((f) => f / 30),
  fc.double({ min: -5, max: 400, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, 1e-7, 0.5 / 30, 1 / 30, 3, 2.999999),
);

const mediaArb = fc.record({
  id: fc.constantFrom('m1', 'm2', 'm3', 'm4'),
  name: fc.constantFrom('lobby.mp4', 'pool.mov', 'spa.mp4'),
  facts: fc.option(
    fc.record({
      duration: fc.oneof(fc.double({ min: 0, max: 120, noNaN: true }), fc.constant(0)),
      fps: fc.oneof(fc.constantFrom(23.976, 25, 29.97, 30, 60, 120, 240), fc.double({ min: 0.5, max: 500, noNaN: true })),
      width: fc.integer({ min: 0, max: 8000 }),
      height: fc.integer({ min: 0, max: 8000 }),
    }),
    { nil: undefined },
  ),
}).map(({ id, name, facts: f }): MediaRef => ({
  id,
  path: `/clips/${id}.mp4`,
  name,
  size_bytes: 1000,
  mtime_ms: 1,
  ...(f && { facts: { ...facts(f.duration, f.fps), width: f.width, height: f.height } }),
}));

const segmentArb = fc.record({
  id: fc.uuid(),
  media_id: fc.constantFrom('m1', 'm2', 'm3', 'm4', 'gone'),
  start_time: time,
  end_time: time,
});

const overlayArb = fc.record({
  id: fc.uuid(),
  content: fc.oneof(fc.constantFrom('', '   ', '\n', 'Bienvenue', 'Spa –20 %', '❤️ 👩‍🍳'), fc.string({ maxLength: 80 })),
  start_time: time,
  end_time: time,
  position: fc.record({ x: fc.double({ min: -50, max: 150, noNaN: true }), y: fc.double({ min: -50, max: 150, noNaN: true }) }),
  style: fc.record({
    color: fc.constantFrom('#FFFFFF', '#ff0000', '#00000080', 'red', '', '#12345'),
    font_size: fc.oneof(fc.constantFrom(72, 8, 600, 601, 0, -3), fc.double({ min: -10, max: 2000, noNaN: true })),
    font_family: fc.option(fc.constantFrom(...FONT_FAMILIES), { nil: undefined }),
    background: fc.option(fc.constantFrom(null, '#000000B3', 'nope'), { nil: undefined }),
  }),
});

const draftArb = fc
  .record({
    media: fc.uniqueArray(mediaArb, { selector: (m) => m.id, maxLength: 4 }),
    // Ids are unique within a kind (the editor makes them with randomUUID); a segment and a
    // text may share one only by accident, which the checks below tolerate.
    segments: fc.uniqueArray(segmentArb, { selector: (s) => s.id, maxLength: 12 }),
    overlays: fc.uniqueArray(overlayArb, { selector: (o) => o.id, maxLength: 25 }),
    fps: fc.constantFrom(24, 25, 30, 50, 60, 29.97, 7, 240),
    width: fc.constantFrom(1080, 1081, 32, 5000, 720),
    height: fc.constantFrom(1920, 1919, 64, 9000),
  })
  .map(({ media, segments, overlays, fps, width, height }): Draft => ({
    ...newDraft({ id: 'p', name: 'Prop', now: '2026-01-01T00:00:00Z' }),
    settings: { aspect: '9:16', width, height, fps },
    media,
    segments,
    overlays,
  }));

/* -------------------------------------------------------------- properties */

test('property: every draft compiles to a request that validates, or to blocking reasons', () => {
  fc.assert(
    fc.property(draftArb, fc.subarray(['m1', 'm2', 'm3', 'm4']), (draft, missing) => {
      assert.ok(DraftSchema.safeParse(draft).success, 'the arbitrary makes drafts the schema accepts');
      const compiled = compileDraft(draft, { missingMedia: missing });
      if (compiled.request === null) {
        // The only reason is an empty timeline: a request the rules refuse ('invalid') is a compiler bug.
        assert.deepEqual(compiled.blocking.map((b) => b.code), ['no-segments'], JSON.stringify(compiled.blocking));
        return;
      }
      assert.deepEqual(compiled.blocking, []);
      const parsed = parseGenerationRequest(compiled.request);
      assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.errors));
      assert.ok(Math.abs(parsed.renderDuration - compiled.duration) < 1e-6);
    }),
    { numRuns: 600, seed: SEED },
  );
});

test('property: each clip and text is rendered or listed as left out, and every change is listed', () => {
  fc.assert(
    fc.property(draftArb, (draft) => {
      const compiled = compileDraft(draft);
      if (!compiled.request) return;
      const rendered = {
        segment: new Set(compiled.request.segments.map((s) => String(s.id))),
        overlay: new Set((compiled.request.text_overlays ?? []).map((o) => String(o.id))),
      };
      const leftOut = (kind: 'segment' | 'overlay') => new Set(compiled.leftOut.filter((i) => i.path.startsWith(`${kind}s[`)).map((i) => i.id));
      for (const [kind, items] of [['segment', draft.segments], ['overlay', draft.overlays]] as const) {
        const out = leftOut(kind);
        for (const item of items) assert.ok(rendered[kind].has(item.id) !== out.has(item.id), `${kind} ${item.id} is exactly one of rendered / left out`);
      }
      const changed = new Set(compiled.warnings.map((w) => w.id));
      for (const o of compiled.request.text_overlays ?? []) {
        const before = draft.overlays.find((x) => x.id === o.id)!;
        if (Math.abs(o.end_time - before.end_time) > 1e-6 && before.start_time >= 0) assert.ok(changed.has(String(o.id)), `the cut of ${o.id} is listed`);
      }
      // Every placeholder filled: what is left once the user's own words (which may hold "{{") are taken out.
      const ownWords = [...draft.overlays.map((o) => o.content), ...draft.media.map((m) => m.name)].filter(Boolean);
      for (const issue of [...compiled.leftOut, ...compiled.warnings]) {
        const template = ownWords.reduce((text, words) => text.split(words).join(''), issue.message);
        assert.ok(issue.message && !template.includes('{{'), issue.message);
      }
    }),
    { numRuns: 400, seed: SEED },
  );
});

/* ---------------------------------------------------------------- examples */

function lobby(): Draft {
  const draft = newDraft({ id: 'p1', name: 'Lobby', now: '2026-01-01T00:00:00Z' });
  draft.media = [{ id: 'm1', path: '/clips/lobby.mp4', name: 'lobby.mp4', size_bytes: 10, mtime_ms: 1, facts: facts(4) }];
  draft.segments = [
    { id: 's1', media_id: 'm1', start_time: 0, end_time: 2 },
    { id: 's2', media_id: 'm1', start_time: 2, end_time: 3 },
  ];
  const style = { color: '#FFFFFF', font_size: 72 };
  draft.overlays = [
    { id: 'o1', content: 'Bienvenue', start_time: 0, end_time: 2, position: { x: 50, y: 30 }, style },
    { id: 'o2', content: '', start_time: 0.5, end_time: 1, position: { x: 50, y: 30 }, style },
    { id: 'o3', content: 'Late checkout', start_time: 2.5, end_time: 5, position: { x: 50, y: 30 }, style },
    { id: 'o4', content: 'After the end', start_time: 3.5, end_time: 4, position: { x: 50, y: 30 }, style },
  ];
  return draft;
}

test('an empty caption and texts past the end: left out or cut, and said so (the draft keeps them)', () => {
  const draft = lobby();
  const compiled = compileDraft(draft);
  assert.ok(compiled.request);
  assert.deepEqual(compiled.request.text_overlays!.map((o) => [o.id, o.start_time, o.end_time]), [
    ['o1', 0, 2],
    ['o3', 2.5, 3],
  ]);
  assert.deepEqual(compiled.leftOut.map((i) => [i.code, i.id]), [
    ['overlay-empty', 'o2'],
    ['overlay-after-end', 'o4'],
  ]);
  assert.deepEqual(compiled.warnings.map((i) => [i.code, i.id]), [['overlay-trimmed', 'o3']]);
  assert.equal(compiled.warnings[0].message, 'Text 3 "Late checkout" now ends with the video, at 0:03.00.');
  assert.equal(draft.overlays.length, 4, 'compiling never edits the draft');
});

test('a missing file or unknown media leaves its clip out; with no clip left, nothing renders and it says why', () => {
  const draft = lobby();
  draft.segments.push({ id: 's3', media_id: 'gone', start_time: 0, end_time: 1 });
  let compiled = compileDraft(draft, { missingMedia: [] });
  assert.deepEqual(compiled.leftOut.filter((i) => i.path.startsWith('segments')).map((i) => i.code), ['segment-unknown-media']);
  compiled = compileDraft(draft, { missingMedia: ['m1'] });
  assert.equal(compiled.request, null);
  assert.deepEqual(compiled.blocking.map((i) => i.code), ['no-segments']);
  assert.equal(compiled.leftOut.filter((i) => i.code === 'segment-missing-file').length, 2);
});

test('a clip set past the end of its file stops at the end; an unprobed clip goes without source facts', () => {
  const draft = lobby();
  draft.segments = [{ id: 's1', media_id: 'm1', start_time: 3, end_time: 6 }];
  draft.media.push({ id: 'm2', path: '/clips/new.mp4', name: 'new.mp4', size_bytes: 5, mtime_ms: 1 });
  draft.segments.push({ id: 's2', media_id: 'm2', start_time: 0, end_time: 2 });
  const compiled = compileDraft(draft);
  assert.ok(compiled.request);
  assert.deepEqual(compiled.request.segments.map((s) => [s.start_time, s.end_time, !!s.source]), [
    [3, 4, true],
    [0, 2, false],
  ]);
  assert.deepEqual(compiled.warnings.filter((w) => w.path.startsWith('segments')).map((w) => w.code), ['segment-trimmed']);
});

test('a text longer than the limit is left out by name (its field), the others render', () => {
  const draft = lobby();
  draft.overlays = [{ ...lobby().overlays[0], id: 'long', content: 'Bienvenue '.repeat(10_000) }, { ...lobby().overlays[0], id: 'ok', content: 'Bienvenue' }];
  const compiled = compileDraft(draft);
  assert.ok(compiled.request);
  assert.deepEqual(compiled.request.text_overlays!.map((o) => o.content), ['Bienvenue']);
  assert.deepEqual(compiled.leftOut.map((i) => [i.code, i.path, i.id, i.params.length]), [['overlay-too-long', 'overlays[0].content', 'long', 100_000]]);
  assert.match(compiled.leftOut[0].message, /^Text 1 "Bienvenue Bienvenue Bienvenue…" is left out: it has 100000 characters, more than the 2000/);
});

test('limits: the 21st text and the 151st clip are left out by name', () => {
  const draft = lobby();
  draft.segments = Array.from({ length: MAX_SEGMENTS + 1 }, (_, i) => ({ id: `s${i}`, media_id: 'm1', start_time: 0, end_time: 0.5 }));
  draft.overlays = Array.from({ length: MAX_OVERLAYS + 1 }, (_, i) => ({ ...lobby().overlays[0], id: `o${i}`, content: `T${i}` }));
  const compiled = compileDraft(draft);
  assert.ok(compiled.request);
  assert.equal(compiled.request.segments.length, MAX_SEGMENTS);
  assert.equal(compiled.request.text_overlays!.length, MAX_OVERLAYS);
  assert.deepEqual(compiled.leftOut.map((i) => i.code), ['segment-too-many', 'overlay-too-many']);
});
