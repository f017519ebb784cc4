// compileDraft with variants: formats, languages, translations, per-format placements and
// framing reach the request; a caption without its text in a language blocks the export by
// name; a one-format draft without languages compiles as before. Plus the draft helpers
// (draft-variants.ts) the editor and the export use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileDraft } from '../../shared/compile-draft';
import { DraftSchema, newDraft, parseDraft, type Draft } from '../../shared/draft';
import { draftFormats, missingTranslations, overlayPlacement, pickVariants, segmentFocus } from '../../shared/draft-variants';
import { parseGenerationRequest } from '../../shared/request';
import { listVariants, planFormats } from '../../shared/variants';
import { encodeHistory, decodeHistory } from '../../shared/draft-history';
import { ASPECTS } from '../../shared/output-settings';

const SEED = Number(process.env.HOSPUP_FUZZ_SEED ?? 20261202);
const facts = { duration: 4, width: 1920, height: 1080, rotation: 0, fps: 30, has_audio: true, video_codec: 'h264', size_bytes: 1000 };
const style = { color: '#FFFFFF', font_size: 72 };

function hotel(): Draft {
  const draft = newDraft({ id: 'p1', name: 'Hotel', now: '2026-01-01T00:00:00Z' });
  draft.media = [{ id: 'm1', path: '/clips/lobby.mp4', name: 'lobby.mp4', size_bytes: 10, mtime_ms: 1, facts }];
  draft.segments = [{ id: 's1', media_id: 'm1', start_time: 0, end_time: 2, focus: { x: 30, y: 50 }, placements: { '16:9': { focus: { x: 50, y: 40 } } } }];
  draft.overlays = [
    { id: 'o1', content: 'Bienvenue', start_time: 0, end_time: 2, position: { x: 50, y: 30 }, style, translations: { en: 'Welcome' }, placements: { '16:9': { position: { x: 50, y: 80 }, font_size: 48 } } },
  ];
  draft.formats = ['9:16', '16:9'];
  draft.languages = ['fr', 'en'];
  return draft;
}

test('a variant draft compiles to formats, languages, translations, placements and focus that the request rules accept', () => {
  const compiled = compileDraft(hotel());
  assert.deepEqual(compiled.blocking, []);
  const request = compiled.request!;
  assert.deepEqual(request.formats, ['9:16', '16:9']);
  assert.deepEqual(request.languages, ['fr', 'en']);
  assert.deepEqual(request.output, { fps: 30 }, 'each format has its own frame: no aspect or size beside formats');
  assert.deepEqual(request.text_overlays![0].translations, { en: 'Welcome' });
  assert.deepEqual(request.text_overlays![0].placements, { '16:9': { position: { x: 50, y: 80 }, font_size: 48 } });
  assert.deepEqual(request.segments![0].focus, { x: 30, y: 50 });
  assert.deepEqual(request.segments![0].placements, { '16:9': { focus: { x: 50, y: 40 } } });
  const parsed = parseGenerationRequest(request);
  assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.errors));
  assert.deepEqual(listVariants(parsed.request, parsed.output).map((v) => v.label), ['9x16-fr', '9x16-en', '16x9-fr', '16x9-en']);
  const plans = planFormats(parsed);
  const landscapeEn = plans[1].outputs[1].overlays[0];
  assert.deepEqual([landscapeEn.content, landscapeEn.position, landscapeEn.style.font_size], ['Welcome', { x: 50, y: 80 }, 48]);
  assert.deepEqual(plans[0].outputs[0].overlays[0].position, { x: 50, y: 30 }, 'the first format keeps the caption where it is');
});

test('a blank or missing translation blocks the export, naming the caption and the language', () => {
  const draft = hotel();
  draft.languages = ['fr', 'en', 'de'];
  draft.overlays[0].translations = { en: '   ' };
  const compiled = compileDraft(draft);
  assert.equal(compiled.request, null);
  assert.deepEqual(compiled.blocking.map((b) => [b.code, b.path, b.id, b.params.language]), [
    ['overlay-translation-missing', 'overlays[0].translations.en', 'o1', 'en'],
    ['overlay-translation-missing', 'overlays[0].translations.de', 'o1', 'de'],
  ]);
  assert.equal(compiled.blocking[0].message, 'Text 1 "Bienvenue" has no en text yet: write it, or leave en out of the export.');
});

test('a caption with words only in another language misses its first-language text (blocking, not "no words")', () => {
  const draft = hotel();
  draft.overlays[0].content = '';
  const compiled = compileDraft(draft);
  assert.deepEqual(compiled.blocking.map((b) => [b.code, b.params.language, b.params.text]), [['overlay-translation-missing', 'fr', 'Welcome']]);
});

test('one format and no languages compiles exactly as before: a single video of the settings', () => {
  const draft = hotel();
  delete draft.languages;
  draft.formats = ['9:16'];
  draft.overlays[0] = { ...draft.overlays[0], translations: undefined, placements: undefined };
  draft.segments[0] = { ...draft.segments[0], focus: undefined, placements: undefined };
  const withField = compileDraft(draft).request!;
  delete draft.formats;
  const without = compileDraft(draft).request!;
  assert.deepEqual(withField, without);
  assert.deepEqual(without.output, { aspect: '9:16', width: 1080, height: 1920, fps: 30 });
  assert.equal('formats' in without || 'languages' in without, false);
});

test('placements of formats the project no longer makes are dropped; positions and focus are kept in the frame', () => {
  const draft = hotel();
  draft.formats = ['9:16', '1:1'];
  draft.overlays[0].placements = { '16:9': { position: { x: 10, y: 10 } }, '1:1': { position: { x: 120, y: -5 } } };
  draft.segments[0].focus = { x: 140, y: 50 };
  const request = compileDraft(draft).request!;
  assert.deepEqual(request.text_overlays![0].placements, { '1:1': { position: { x: 100, y: 0 } } });
  assert.equal(request.segments![0].placements, undefined);
  assert.deepEqual(request.segments![0].focus, { x: 100, y: 50 });
});

test('the settings aspect is always the first format, each format once', () => {
  assert.deepEqual(draftFormats({ settings: { aspect: '16:9', width: 1920, height: 1080, fps: 30 }, formats: ['9:16', '16:9', '9:16', '4:5'] }), ['16:9', '9:16', '4:5']);
});

test('pickVariants: untick the first format and language, and the next ones take their place', () => {
  const picked = pickVariants(hotel(), { formats: ['16:9'], languages: ['en'] });
  assert.equal(picked.settings.aspect, '16:9');
  assert.deepEqual([picked.settings.width, picked.settings.height], [1920, 1080]);
  assert.equal(picked.overlays[0].content, 'Welcome');
  assert.deepEqual(picked.overlays[0].position, { x: 50, y: 80 });
  assert.equal(picked.overlays[0].style.font_size, 48);
  assert.deepEqual(picked.segments[0].focus, { x: 50, y: 40 });
  const request = compileDraft(picked).request!;
  assert.equal(request.formats, undefined, 'one format left: a single frame');
  assert.deepEqual(request.languages, ['en']);
  assert.deepEqual(request.output, { aspect: '16:9', width: 1920, height: 1080, fps: 30 });
  assert.ok(parseGenerationRequest(request).ok);
});

test('pickVariants with everything ticked changes nothing that compiles', () => {
  const draft = hotel();
  assert.deepEqual(compileDraft(pickVariants(draft, { formats: [...ASPECTS], languages: ['fr', 'en'] })).request, compileDraft(draft).request);
});

test('the editor helpers: placement and focus per format, missing translations per language', () => {
  const draft = hotel();
  assert.deepEqual(overlayPlacement(draft.overlays[0], '9:16'), { position: { x: 50, y: 30 }, font_size: 72 });
  assert.deepEqual(overlayPlacement(draft.overlays[0], '16:9'), { position: { x: 50, y: 80 }, font_size: 48 });
  assert.deepEqual(segmentFocus(draft.segments[0], '16:9'), { x: 50, y: 40 });
  assert.deepEqual(segmentFocus(draft.segments[0], '1:1'), { x: 30, y: 50 });
  draft.languages = ['fr', 'en', 'de'];
  assert.deepEqual(missingTranslations(draft, 'de').map((o) => o.id), ['o1']);
  assert.deepEqual(missingTranslations(draft, 'en'), []);
});

test('old files open unchanged; variant fields survive a save and the undo history', () => {
  const old = newDraft({ id: 'p', name: 'Old', now: '2026-01-01T00:00:00Z' });
  const parsedOld = parseDraft(JSON.parse(JSON.stringify(old)));
  assert.ok(parsedOld.ok);
  assert.deepEqual(parsedOld.draft, old);
  const draft = hotel();
  const parsed = parseDraft(JSON.parse(JSON.stringify(draft)));
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.draft, draft);
  const doc = { name: draft.name, settings: draft.settings, segments: draft.segments, overlays: draft.overlays, formats: draft.formats, languages: draft.languages };
  const stored = JSON.parse(JSON.stringify(encodeHistory([doc], [])));
  assert.ok(DraftSchema.shape.history.safeParse(stored).success);
  assert.deepEqual(decodeHistory(stored)!.past[0], doc, 'undo restores the formats and languages too');
});

test('property: variant drafts compile to a request that validates, or are blocked only by missing translations', () => {
  const languageArb = fc.uniqueArray(fc.constantFrom('fr', 'en', 'de', 'es', 'pt-BR'), { maxLength: 4 });
  const point = fc.record({ x: fc.double({ min: -20, max: 120, noNaN: true }), y: fc.double({ min: -20, max: 120, noNaN: true }) });
  const arb = fc.record({
    formats: fc.option(fc.array(fc.constantFrom(...ASPECTS), { maxLength: 5 }), { nil: undefined }),
    languages: fc.option(languageArb, { nil: undefined }),
    translations: fc.option(fc.dictionary(fc.constantFrom('fr', 'en', 'de', 'it'), fc.constantFrom('', ' ', 'Hello', 'Hallo')), { nil: undefined }),
    placements: fc.option(fc.dictionary(fc.constantFrom(...ASPECTS), fc.record({ position: fc.option(point, { nil: undefined }), font_size: fc.option(fc.double({ min: -5, max: 900, noNaN: true }), { nil: undefined }) })), { nil: undefined }),
    focus: fc.option(point, { nil: undefined }),
    segmentPlacements: fc.option(fc.dictionary(fc.constantFrom(...ASPECTS), fc.record({ focus: fc.option(point, { nil: undefined }) })), { nil: undefined }),
  });
  fc.assert(
    fc.property(arb, (v) => {
      const draft = hotel();
      draft.formats = v.formats;
      draft.languages = v.languages;
      draft.overlays[0] = { ...draft.overlays[0], translations: v.translations, placements: v.placements };
      draft.segments[0] = { ...draft.segments[0], focus: v.focus, placements: v.segmentPlacements };
      assert.ok(DraftSchema.safeParse(draft).success);
      const compiled = compileDraft(draft);
      if (!compiled.request) {
        assert.ok(compiled.blocking.length > 0 && compiled.blocking.every((b) => b.code === 'overlay-translation-missing'), JSON.stringify(compiled.blocking));
        return;
      }
      const parsed = parseGenerationRequest(compiled.request);
      assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.errors));
      planFormats(parsed);
    }),
    { numRuns: 300, seed: SEED },
  );
});
