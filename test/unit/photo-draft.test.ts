// Photos, the logo and sound in the editor's draft: compileDraft normalises a photo segment
// (shown from 0 for its length), carries the logo and per-clip sound to a request that validates;
// the logo is kept clear of the safe zones; the brand kit is applied to new projects and templates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileDraft } from '../../shared/compile-draft';
import { newDraft, type Draft, type MediaRef } from '../../shared/draft';
import { applyBrandKit, BrandKit } from '../../shared/brand-kit';
import { defaultLogoPlacement, keepLogoSafe } from '../../shared/safe-zones';
import { logoBox } from '../../shared/logo';
import { parseGenerationRequest } from '../../shared/request';

const clip: MediaRef = { id: 'c', path: '/clips/lobby.mp4', name: 'lobby.mp4', size_bytes: 1, mtime_ms: 1, facts: { duration: 10, width: 1080, height: 1920, rotation: 0, fps: 30, has_audio: true, video_codec: 'h264', size_bytes: 1 } };
const photo: MediaRef = { id: 'p', path: '/photos/IMG_1.HEIC', name: 'IMG_1.HEIC', size_bytes: 1, mtime_ms: 1, facts: { duration: 60, width: 3024, height: 4032, rotation: 0, fps: 30, has_audio: false, video_codec: 'heif', size_bytes: 1, kind: 'photo' } };
const FRAME = { width: 1080, height: 1920 };

function draft(over: Partial<Draft> = {}): Draft {
  return { ...newDraft({ id: 'd', name: 'D', now: '2026-01-01T00:00:00Z' }), media: [clip, photo], ...over };
}

test('a photo segment trimmed from the left still shows from 0 for its length, without source facts', () => {
  const compiled = compileDraft(draft({ segments: [{ id: 's1', media_id: 'p', start_time: 1.5, end_time: 4.5 }] }));
  assert.deepEqual(compiled.request?.segments, [{ id: 's1', video_url: '/photos/IMG_1.HEIC', start_time: 0, end_time: 3, duration: 3, order: 1 }]);
  assert.ok(parseGenerationRequest(compiled.request).ok);
});

test('sound settings go to the request (gain clamped to -60..+6, 0 dB left out); the logo too, placed in range', () => {
  const compiled = compileDraft(draft({
    segments: [
      { id: 'a', media_id: 'c', start_time: 0, end_time: 1, volume_db: -12 },
      { id: 'b', media_id: 'c', start_time: 1, end_time: 2, muted: true },
      { id: 'c', media_id: 'c', start_time: 2, end_time: 3, volume_db: 20 },
      { id: 'd', media_id: 'c', start_time: 3, end_time: 4, volume_db: 0 },
    ],
    logo: { path: '/brand/logo.png', name: 'logo.png', image: { width: 200, height: 100 }, position: { x: 120, y: 10 }, width: 20, opacity: 140 },
  }));
  const segments = compiled.request!.segments!;
  assert.deepEqual(segments.map((s) => [s.volume_db, s.muted]), [[-12, undefined], [undefined, true], [6, undefined], [undefined, undefined]]);
  assert.deepEqual(compiled.request!.logo, { url: '/brand/logo.png', position: { x: 100, y: 10 }, width: 20, opacity: 100 });
  assert.ok(parseGenerationRequest(compiled.request).ok);
});

test('the logo is kept clear of the top bar, the captions and the buttons of a 9:16 video', () => {
  const image = { width: 200, height: 100 };
  for (const position of [{ x: 100, y: 0 }, { x: 95, y: 60 }, { x: 50, y: 100 }, { x: 0, y: 50 }]) {
    const safe = keepLogoSafe({ position, width: 22 }, image, FRAME, '9:16');
    const box = logoBox(safe, image, FRAME);
    const pct = { left: (box.x / 1080) * 100, top: (box.y / 1920) * 100, right: ((box.x + box.width) / 1080) * 100, bottom: ((box.y + box.height) / 1920) * 100 };
    assert.ok(pct.top >= 8 - 0.1 && pct.bottom <= 65 + 0.1, `${JSON.stringify(position)}: ${JSON.stringify(pct)}`);
    assert.ok(pct.left >= 4 - 0.1 && pct.right <= 96 + 0.1);
    assert.ok(!(pct.bottom > 38 && pct.right > 84 + 0.1), `clear of the buttons: ${JSON.stringify(pct)}`);
  }
  assert.deepEqual(defaultLogoPlacement(image, FRAME, '9:16'), { position: { x: 84.98, y: 11.1 }, width: 22 });
});

test('the brand kit: a new project gets the logo at the default place; templates get the first brand font', () => {
  const kit = BrandKit.parse({ logo: { path: '/brand/l.svg', name: 'l.svg', width: 200, height: 100, format: 'svg', previewDataUrl: 'data:image/png;base64,' }, fonts: ['Montserrat'] });
  const overlay = { id: 't', content: 'Hi', start_time: 0, end_time: 1, position: { x: 50, y: 50 }, style: { color: '#FFFFFF', font_size: 60, font_family: 'Inter' as const } };
  const branded = applyBrandKit(draft({ overlays: [overlay] }), kit, { fonts: true });
  assert.deepEqual(branded.logo, { path: '/brand/l.svg', name: 'l.svg', image: { width: 200, height: 100 }, position: { x: 84.98, y: 11.1 }, width: 22, opacity: 100 });
  assert.equal(branded.overlays[0].style.font_family, 'Montserrat');
  // A project with a logo keeps its own; no logo in the kit changes nothing.
  const own = { ...branded.logo!, position: { x: 20, y: 20 } };
  assert.equal(applyBrandKit(draft({ logo: own }), kit).logo, own);
  const plain = draft();
  assert.equal(applyBrandKit(plain, BrandKit.parse({})), plain);
});

test('undo steps keep the logo through the compact history (saved and read back)', async () => {
  const { encodeHistory } = await import('../../shared/draft-history');
  const { historySteps, DraftHistory } = await import('../../shared/draft');
  const base = draft();
  const logo = { path: '/brand/l.png', name: 'l.png', image: { width: 2, height: 1 }, position: { x: 80, y: 10 }, width: 20, opacity: 70 };
  const doc = (l: typeof logo | null) => ({ name: base.name, settings: base.settings, segments: [], overlays: [], logo: l });
  const stored = DraftHistory.parse(JSON.parse(JSON.stringify(encodeHistory([doc(null), doc(logo)], []))));
  assert.deepEqual(historySteps(stored)?.past.map((d) => d.logo), [null, logo]);
});
