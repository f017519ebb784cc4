// Captions in and out of SRT/WebVTT per language: cues from the captions' times and a
// language's text; an imported file matched by order (same count) or by time overlap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { captionCues, planCaptionImport } from '../../shared/caption-files';
import { formatSrt, parseSubtitles } from '../../shared/subtitles';
import type { DraftOverlay } from '../../shared/draft';

const style = { color: '#FFFFFF', font_size: 72 };
const caption = (id: string, start: number, end: number, content: string, en?: string): DraftOverlay => ({
  id, content, start_time: start, end_time: end, position: { x: 50, y: 30 }, style, ...(en !== undefined && { translations: { en } }),
});

test('a language exports its captions by time, without the untranslated ones, and reads back the same', () => {
  const overlays = [caption('b', 2, 3, 'Le spa', ''), caption('a', 0, 1.5, 'Bienvenue', 'Welcome')];
  assert.deepEqual(captionCues(overlays, 'fr', 'fr').map((c) => c.text), ['Bienvenue', 'Le spa']);
  const en = captionCues(overlays, 'en', 'fr');
  assert.deepEqual(en, [{ start: 0, end: 1.5, text: 'Welcome' }]);
  const read = parseSubtitles(formatSrt(en));
  assert.ok(read.ok);
  assert.deepEqual(read.cues, en);
});

test('same number of cues as captions: matched by order, even when the times drifted', () => {
  const overlays = [caption('a', 0, 1, 'Un'), caption('b', 1, 2, 'Deux')];
  const plan = planCaptionImport(overlays, [{ start: 0.3, end: 1.4, text: 'One' }, { start: 5, end: 6, text: 'Two' }], false);
  assert.equal(plan.kind, 'fill');
  assert.deepEqual(plan.kind === 'fill' && plan.matches.map((m) => [m.overlayId, m.cue.text]), [['a', 'One'], ['b', 'Two']]);
});

test('another number: by largest time overlap, one cue per caption; what is left is listed', () => {
  const overlays = [caption('a', 0, 2, 'Un'), caption('b', 2, 4, 'Deux'), caption('c', 10, 11, 'Trois')];
  const cues = [{ start: 0, end: 1.8, text: 'One' }, { start: 1.9, end: 3.9, text: 'Two' }, { start: 20, end: 21, text: 'Extra' }, { start: 0.5, end: 1, text: 'Dup' }];
  const plan = planCaptionImport(overlays, cues, false);
  assert.ok(plan.kind === 'fill');
  assert.deepEqual(plan.matches.map((m) => [m.overlayId, m.cue.text]), [['a', 'One'], ['b', 'Two']]);
  assert.deepEqual(plan.unmatchedCues.map((c) => c.text), ['Extra', 'Dup']);
  assert.deepEqual(plan.unmatchedOverlays, ['c']);
});

test('the captions\' own language in a project without captions: the cues become captions', () => {
  const cues = [{ start: 0, end: 1, text: 'Bienvenue' }];
  assert.deepEqual(planCaptionImport([], cues, true), { kind: 'create', cues });
  assert.equal(planCaptionImport([], cues, false).kind, 'fill', 'a translation needs captions to translate');
});
