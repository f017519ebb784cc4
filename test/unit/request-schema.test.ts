import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGenerationRequest, buildTimeline } from '../../shared/request';
import { fieldErrorToString } from '../../shared/validation';
import { GUIDE_CURL_REQUEST, GUIDE_DIRECT_LAMBDA_BODY } from '../fixtures/guide-requests';
import { newDraft, requestToDraft, parseDraft } from '../../shared/draft';
import { compileDraft } from '../../shared/compile-draft';

const GUIDE_CURL = GUIDE_CURL_REQUEST;
const GUIDE_DIRECT_BODY = GUIDE_DIRECT_LAMBDA_BODY;

const messages = (input: unknown) => {
  const result = parseGenerationRequest(input);
  assert.equal(result.ok, false, 'expected the request to be refused');
  return result.ok ? [] : result.errors.map(fieldErrorToString);
};

test('the guide curl payload is accepted as written, with defaults and a total_duration warning', () => {
  const result = parseGenerationRequest(GUIDE_CURL);
  assert.ok(result.ok);
  assert.deepEqual(result.output, { aspect: '9:16', width: 1080, height: 1920, fps: 30 });
  assert.equal(result.renderDuration, 10);
  assert.equal(result.warnings.length, 1);
  assert.match(result.warnings[0], /^total_duration: 30\.0 s differs from the sum of the segments \(10\.0 s\)/);
  assert.equal(result.request.text_overlays[0].style.color, '#FFFFFF');
});

test('the guide direct Lambda payload (no segments) gets a clear error, not a crash', () => {
  assert.deepEqual(messages(GUIDE_DIRECT_BODY), ['segments: needs at least one segment (the list is empty): add a clip to the timeline']);
});

test('end before start names the field and both values', () => {
  const bad = structuredClone(GUIDE_CURL);
  bad.segments.push({ id: 'seg2', video_url: 's3://hospup-videos/b.mp4', start_time: 3, end_time: 1, duration: 2, order: 2 });
  assert.ok(messages(bad).includes('segments[1].end_time: must be greater than start_time (1.0 ≤ 3.0)'));
});

test('duration must match end - start within a frame', () => {
  const bad = structuredClone(GUIDE_CURL);
  bad.segments[0].duration = 9;
  assert.deepEqual(messages(bad), ['segments[0].duration: must equal end_time - start_time (10.0), got 9.0']);
  const ok = structuredClone(GUIDE_CURL);
  ok.segments[0].duration = 10.02; // less than one 30 fps frame away
  assert.ok(parseGenerationRequest(ok).ok);
});

test('order decides the sequence, not the array position', () => {
  const timeline = buildTimeline([
    { video_url: 'a', start_time: 0, end_time: 2, duration: 2, order: 5 },
    { video_url: 'b', start_time: 1, end_time: 4, duration: 3, order: 1 },
  ]);
  assert.deepEqual(timeline.map((s) => [s.video_url, s.outputStart, s.outputEnd]), [
    ['b', 0, 3],
    ['a', 3, 5],
  ]);
});

test('type errors, bad colours, repeated order and overlays outside the video are named', () => {
  const bad = structuredClone(GUIDE_CURL) as any;
  bad.segments[0].start_time = 'zero';
  bad.text_overlays[0].style.color = 'white';
  assert.deepEqual(messages(bad).sort(), [
    'segments[0].start_time: must be a number (got "zero")',
    'text_overlays[0].style.color: must be a hex colour like #FFFFFF or #00000080 (got "white")',
  ]);
  const late = structuredClone(GUIDE_CURL);
  late.text_overlays[0].end_time = 12;
  assert.deepEqual(messages(late), ['text_overlays[0].end_time: is after the end of the video (12.0 > 10.0 s)']);
  const twice = structuredClone(GUIDE_CURL);
  twice.segments.push({ ...twice.segments[0], id: 'seg2' });
  assert.ok(messages(twice).some((m) => m.startsWith('segments[1].order: repeats the order of segments[0]')));
  assert.deepEqual(messages('{"property_id": "1",'), [messages('{"property_id": "1",')[0]]);
  assert.match(messages('{"property_id": "1",')[0], /^not valid JSON/);
  assert.deepEqual(messages({ ...GUIDE_CURL, property_id: undefined }), ['property_id: is required']);
});

test('extensions: output aspect, size, fps and overlay style are accepted and resolved', () => {
  const result = parseGenerationRequest({
    ...GUIDE_CURL,
    output: { aspect: '16:9', fps: 25 },
    text_overlays: [{ ...GUIDE_CURL.text_overlays[0], style: { color: '#fff', font_size: 40, font_family: 'Montserrat', font_weight: 'regular', background: '#00000080', align: 'left' } }],
  });
  assert.ok(result.ok);
  assert.deepEqual(result.output, { aspect: '16:9', width: 1920, height: 1080, fps: 25 });
  assert.equal(result.request.text_overlays[0].style.background, '#00000080');
  assert.deepEqual(messages({ ...GUIDE_CURL, output: { width: 1081, height: 1920 } }), ['output: width and height must be even numbers (got 1081x1920)']);
});

test('a draft compiles to a request and converts back', () => {
  const project = newDraft({ id: 'p1', name: 'Lobby', now: '2026-11-25T00:00:00Z' });
  project.media.push({ id: 'm1', path: '/clips/lobby.mp4', name: 'lobby.mp4', size_bytes: 100, mtime_ms: 1, facts: { duration: 8, width: 1920, height: 1080, rotation: 0, fps: 25, has_audio: true, video_codec: 'h264', size_bytes: 100 } });
  project.segments.push({ id: 's1', media_id: 'm1', start_time: 1, end_time: 3 }, { id: 's2', media_id: 'm1', start_time: 5, end_time: 6.5 });
  project.overlays.push({ id: 'o1', content: 'Welcome', start_time: 0, end_time: 2, position: { x: 50, y: 20 }, style: { color: '#FFFFFF', font_size: 48 } });
  const request = compileDraft(project).request;
  const parsed = parseGenerationRequest(request);
  assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.errors));
  assert.equal(parsed.renderDuration, 3.5);
  assert.deepEqual(parsed.timeline.map((s) => s.source?.fps), [25, 25]);
  const back = requestToDraft(parsed.request, {
    id: 'p2',
    name: 'Back',
    now: '2026-11-25T00:00:00Z',
    mediaFor: (url, i) => ({ id: `m${i}`, path: url, name: url, size_bytes: 0, mtime_ms: 0 }),
  });
  assert.equal(back.media.length, 1, 'one media for a source used twice');
  assert.deepEqual(back.segments.map((s) => [s.start_time, s.end_time]), [[1, 3], [5, 6.5]]);
  assert.ok(parseDraft(back).ok);
});

test('hostile sizes are refused by field before any work: a 100 KB caption, a huge id, a huge URL', () => {
  const request = structuredClone(GUIDE_CURL) as Record<string, unknown> & { text_overlays: { content: string }[]; segments: { video_url: string }[] };
  request.text_overlays[0].content = 'Bienvenue '.repeat(10_000);
  request.property_id = 'p'.repeat(300);
  request.segments[0].video_url = `s3://hospup-videos/${'k'.repeat(5000)}.mp4`;
  assert.deepEqual(messages(request), [
    'property_id: is too long: at most 256 characters (got 300)',
    'segments[0].video_url: is too long: at most 4096 characters (got 5023)',
    'text_overlays[0].content: is too long: at most 2000 characters (got 100000)',
  ]);
});
