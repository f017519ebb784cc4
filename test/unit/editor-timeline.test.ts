// Pure timeline model of the editor: prefix sums, lookups, edits, snapping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DraftOverlay, DraftSegment } from '../../shared/draft';
import { locate, segmentIndexAt, timelineIndex } from '../../renderer/src/model/timeline-index';
import {
  addSegment,
  dropIndexAt,
  moveOverlayTime,
  moveSegment,
  moveSegmentsBlock,
  overlayLanes,
  resizeOverlayTime,
  rippleDelete,
  segmentForMedia,
  splitAt,
  trimSegment,
  updateOverlay,
} from '../../renderer/src/model/timeline-ops';
import { nearestSorted, snapTime } from '../../renderer/src/model/snapping';
import { TIMELINE_END_ROOM, TIMELINE_PAD, TIMELINE_WIDTH_STEP, timelineContentWidth } from '../../renderer/src/components/timeline/geometry';

const seg = (id: string, start: number, end: number, media = 'm1'): DraftSegment => ({ id, media_id: media, start_time: start, end_time: end });
const overlay = (id: string, start: number, end: number): DraftOverlay => ({
  id,
  content: id,
  start_time: start,
  end_time: end,
  position: { x: 50, y: 50 },
  style: { color: '#FFFFFF', font_size: 60 },
});

test('timelineIndex: prefix sums, total, memoised by array identity', () => {
  const segments = [seg('a', 0, 2), seg('b', 1, 1.5), seg('c', 0, 3)];
  const index = timelineIndex(segments);
  assert.deepEqual([...index.starts], [0, 2, 2.5, 5.5]);
  assert.equal(index.duration, 5.5);
  assert.equal(timelineIndex(segments), index);
  assert.notEqual(timelineIndex(segments.slice()), index);
});

test('segmentIndexAt and locate: cut points belong to the next segment', () => {
  const segments = [seg('a', 0, 2), seg('b', 1, 1.5), seg('c', 0, 3)];
  const index = timelineIndex(segments);
  assert.equal(segmentIndexAt(index, 0), 0);
  assert.equal(segmentIndexAt(index, 1.999), 0);
  assert.equal(segmentIndexAt(index, 2), 1);
  assert.equal(segmentIndexAt(index, 9), 2);
  assert.deepEqual(locate(segments, 2.25), { segmentIndex: 1, sourceTime: 1.25, segmentStart: 2 });
  assert.equal(locate([], 1), null);
});

test('segmentForMedia snaps to frames and never exceeds the media', () => {
  assert.deepEqual(segmentForMedia('s', 'm', 2.0166, 30), { id: 's', media_id: 'm', start_time: 0, end_time: 2 });
  assert.equal(segmentForMedia('s', 'm', 10, 30, 3).end_time, 3);
});

test('add and move segments', () => {
  const a = seg('a', 0, 1);
  const b = seg('b', 0, 1);
  const c = seg('c', 0, 1);
  const list = addSegment(addSegment([a], c), b, 1);
  assert.deepEqual(list.map((s) => s.id), ['a', 'b', 'c']);
  assert.deepEqual(moveSegment(list, 2, 0).map((s) => s.id), ['c', 'a', 'b']);
  assert.deepEqual(moveSegment(list, 0, 2).map((s) => s.id), ['b', 'c', 'a']);
  assert.equal(moveSegment(list, 1, 1), list);
  assert.deepEqual(moveSegmentsBlock(list, new Set(['a', 'c']), 1).map((s) => s.id), ['b', 'a', 'c']);
  assert.deepEqual(list.map((s) => s.id), ['a', 'b', 'c'], 'input untouched');
});

test('dropIndexAt uses segment midpoints', () => {
  const list = [seg('a', 0, 2), seg('b', 0, 2), seg('c', 0, 2)];
  assert.equal(dropIndexAt(list, 2, 0.5), 0); // drag c to the start
  assert.equal(dropIndexAt(list, 2, 1.5), 1);
  assert.equal(dropIndexAt(list, 0, 5.5), 2); // drag a to the end
  assert.equal(dropIndexAt(list, 0, 0.5), 0);
});

test('trim: clamped to the media, at least one frame, snapped to frames', () => {
  const list = [seg('a', 1, 3)];
  assert.equal(trimSegment(list, 'a', 'out', 2.51, 30, 5)[0].end_time, Math.round(2.51 * 30) / 30);
  assert.equal(trimSegment(list, 'a', 'out', 9, 30, 5)[0].end_time, 5);
  assert.equal(trimSegment(list, 'a', 'in', -2, 30, 5)[0].start_time, 0);
  const collapsed = trimSegment(list, 'a', 'in', 10, 30, 5)[0];
  assert.ok(Math.abs(collapsed.end_time - collapsed.start_time - 1 / 30) < 1e-6, 'one frame left');
  const minOut = trimSegment(list, 'a', 'out', 0, 30, 5)[0];
  assert.ok(Math.abs(minOut.end_time - 1 - 1 / 30) < 1e-6);
  assert.equal(trimSegment(list, 'a', 'out', 3, 30, 5), list, 'no change keeps the array');
  assert.equal(trimSegment(list, 'zzz', 'out', 2, 30, 5), list);
});

test('splitAt cuts at the nearest frame and refuses a cut on an edge', () => {
  const list = [seg('a', 0, 2), seg('b', 5, 7, 'm2')];
  const result = splitAt(list, 3.01, 30, 'new')!;
  assert.deepEqual(result.segments.map((s) => [s.id, s.start_time, s.end_time]), [
    ['a', 0, 2],
    ['b', 5, 6],
    ['new', 6, 7],
  ]);
  assert.equal(result.rightId, 'new');
  assert.equal(splitAt(list, 2, 30, 'x'), null, 'on a cut');
  assert.equal(splitAt(list, 2.01, 30, 'x'), null, 'less than a frame in');
  assert.equal(splitAt([], 1, 30, 'x'), null);
});

test('rippleDelete closes the gap', () => {
  const list = [seg('a', 0, 2), seg('b', 0, 1), seg('c', 0, 3)];
  const after = rippleDelete(list, new Set(['b']));
  assert.deepEqual(after.map((s) => s.id), ['a', 'c']);
  assert.deepEqual([...timelineIndex(after).starts], [0, 2, 5]);
});

test('overlays: update, move, resize stay inside the timeline', () => {
  const list = [overlay('t', 1, 2)];
  assert.deepEqual(updateOverlay(list, 't', { position: { x: 120 } })[0].position, { x: 100, y: 50 });
  assert.equal(updateOverlay(list, 't', { style: { color: '#FF0000' } })[0].style.font_size, 60);
  const moved = moveOverlayTime(list, 't', 9, 30, 4)[0];
  assert.deepEqual([moved.start_time, moved.end_time], [3, 4]);
  assert.equal(moveOverlayTime(list, 't', -3, 30, 4)[0].start_time, 0);
  const shorter = resizeOverlayTime(list, 't', 'out', 0, 30, 4)[0];
  assert.ok(Math.abs(shorter.end_time - (1 + 1 / 30)) < 1e-6);
  assert.equal(resizeOverlayTime(list, 't', 'out', 10, 30, 4)[0].end_time, 4);
  assert.equal(resizeOverlayTime(list, 't', 'in', -1, 30, 4)[0].start_time, 0);
});

test('overlayLanes puts overlapping overlays on separate rows', () => {
  const { lane, count } = overlayLanes([overlay('a', 0, 2), overlay('b', 1, 3), overlay('c', 2, 4)]);
  assert.equal(count, 2);
  assert.equal(lane.get('a'), 0);
  assert.equal(lane.get('b'), 1);
  assert.equal(lane.get('c'), 0);
});

test('snapping: nearest target within the threshold, else unchanged', () => {
  const cuts = Float64Array.from([0, 2, 5]);
  assert.equal(nearestSorted(cuts, 3.4), 2);
  assert.equal(nearestSorted(cuts, 3.6), 5);
  assert.deepEqual(snapTime(2.05, { sorted: [cuts] }, 0.1), { time: 2, snappedTo: 2 });
  assert.deepEqual(snapTime(2.5, { sorted: [cuts] }, 0.1), { time: 2.5, snappedTo: null });
  assert.deepEqual(snapTime(2.5, { sorted: [cuts], extra: [2.45] }, 0.1), { time: 2.45, snappedTo: 2.45 });
});

test('edits on 1,000 segments stay fast (no quadratic work)', () => {
  const list = Array.from({ length: 1000 }, (_, i) => seg(`s${i}`, 0, 1 + (i % 5) * 0.1));
  const started = performance.now();
  let current = list;
  for (let i = 0; i < 200; i++) {
    current = trimSegment(current, `s${(i * 7) % 1000}`, 'out', 0.5, 30, 5);
    current = moveSegment(current, i, 999 - i);
    timelineIndex(current);
    locate(current, 300);
  }
  const perEdit = (performance.now() - started) / 200;
  assert.ok(perEdit < 5, `an edit took ${perEdit.toFixed(2)} ms`);
});

test('timeline content width: at least the end room past the video, in whole steps, unchanged by a frame-sized trim', () => {
  const pps = 30;
  for (const end of [0, 0.5, 12.34, 950.1, 3600]) {
    const width = timelineContentWidth(end, pps);
    const exact = TIMELINE_PAD * 2 + end * pps + TIMELINE_END_ROOM;
    assert.ok(width >= exact, `${width} px holds ${exact} px`);
    assert.ok(width < exact + TIMELINE_WIDTH_STEP, `${width} px is less than a step more than ${exact} px`);
    assert.equal(width % TIMELINE_WIDTH_STEP, 0);
  }
  // A drag that trims a frame at a time changes the scrollable width once per step, not per frame.
  const widths = new Set<number>();
  for (let frame = 0; frame < 60; frame++) widths.add(timelineContentWidth(100 + frame / 30, pps));
  assert.ok(widths.size <= 2, `60 one-frame trims gave ${widths.size} widths`);
  // The video end stays reachable when the zoom grows.
  assert.ok(timelineContentWidth(100, 200) >= TIMELINE_PAD + 100 * 200 + TIMELINE_END_ROOM);
});
