// The undo history stored with a draft: compact (each record once), exact on the way back, and
// a damaged file gives no history rather than a wrong one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHistory, encodeHistory } from '../../shared/draft-history';
import { DraftHistory, historySteps, type DraftDoc, type DraftSegment } from '../../shared/draft';

const settings = { aspect: '9:16' as const, width: 1080, height: 1920, fps: 30 };
const segment = (i: number): DraftSegment => ({ id: `s${i}`, media_id: 'm1', start_time: 0, end_time: 1 + i / 100 });
const overlay = { id: 't1', content: 'Hi', start_time: 0, end_time: 1, position: { x: 50, y: 50 }, style: { color: '#FFFFFF', font_size: 40 } };

/** 50 steps of a 1,000-segment document, each trimming one segment, as the store makes them (unchanged records shared). */
function steps(): DraftDoc[] {
  let doc: DraftDoc = { name: 'Summer', settings, segments: Array.from({ length: 1000 }, (_, i) => segment(i)), overlays: [overlay] };
  const out = [doc];
  for (let k = 1; k < 50; k++) {
    const segments = doc.segments.slice();
    segments[(k * 37) % 1000] = { ...segments[(k * 37) % 1000], end_time: 5 + k };
    if (k % 10 === 0) segments.push(segments.splice(3, 1)[0]); // a move
    doc = { ...doc, segments };
    out.push(doc);
  }
  return out;
}

test('round trip: every step comes back exactly, in order, past and future', () => {
  const all = steps();
  const past = all.slice(0, 40);
  const future = all.slice(40);
  const decoded = decodeHistory(JSON.parse(JSON.stringify(encodeHistory(past, future))));
  assert.deepEqual(decoded, { past, future });
});

test('compact: 50 steps of 1,000 segments store about one document, not fifty', () => {
  const all = steps();
  const one = JSON.stringify(all[0]).length;
  const stored = JSON.stringify(encodeHistory(all, [])).length;
  const naive = JSON.stringify({ past: all, future: [] }).length;
  assert.ok(stored < one * 1.6, `${stored} bytes for 50 steps vs ${one} for one document`);
  assert.ok(naive > one * 40);
  // Decoded steps share their records again, so the next encode stays compact.
  const decoded = decodeHistory(encodeHistory(all, []))!;
  const byId = (doc: DraftDoc, id: string) => doc.segments.find((s) => s.id === id);
  const untouched = all[0].segments.find((s) => all.every((doc) => byId(doc, s.id) === s))!;
  assert.equal(byId(decoded.past[0], untouched.id), byId(decoded.past[49], untouched.id));
});

test('the stored form validates as a draft history; a damaged index gives no history', () => {
  const encoded = JSON.parse(JSON.stringify(encodeHistory(steps().slice(0, 3), [])));
  const parsed = DraftHistory.parse(encoded);
  assert.equal(historySteps(parsed)!.past.length, 3);
  encoded.past[1].segments = [0, 5000];
  assert.equal(historySteps(DraftHistory.parse(encoded)), undefined);
});

test('whole-document histories written by the first v2 files are still read', () => {
  const legacy = { past: steps().slice(0, 2), future: [] };
  assert.deepEqual(historySteps(DraftHistory.parse(JSON.parse(JSON.stringify(legacy)))), legacy);
});
