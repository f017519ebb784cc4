// A HEVC phone clip the preview cannot decode plays through its proxy (export keeps the original);
// an HDR one is marked HDR and its proxy shows it in standard colour.
import { test, expect } from '@playwright/test';
import { makeHdrClip, SATURATED_RED } from '../fixtures/phone-media';
import { CLIP_DIR, LIME, addToTimeline, clip, createProject, fileName, importMedia, isClose, mediaItem, screenshotPixels } from './helpers';

test('HEVC clip previewed through its proxy', async ({ page }) => {
  test.setTimeout(180_000);
  const hevc = await clip('hevc-lime', 'lime', { codec: 'hevc', durationSec: 3 });
  await createProject(page, 'Proxy');

  // Record every badge text the media card shows while the proxy is being made.
  await page.evaluate(() => {
    const seen: string[] = ((window as unknown as { __badges: string[] }).__badges = []);
    new MutationObserver(() => {
      for (const b of document.querySelectorAll('.media-card .badge')) if (!seen.includes(b.textContent ?? '')) seen.push(b.textContent ?? '');
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await importMedia(page, [hevc]);
  const card = mediaItem(page, fileName(hevc));
  await expect(card.getByText('Preview copy')).toBeVisible({ timeout: 120_000 });
  const badges = await page.evaluate(() => (window as unknown as { __badges: string[] }).__badges);
  expect(badges.some((b) => /Preparing preview \d+%/.test(b))).toBe(true);

  const item = await page.evaluate(() => Object.values((window as any).__hospup.editor.getState().mediaItems)[0] as { usesProxy: boolean; facts: { video_codec: string }; path: string });
  expect(item.usesProxy).toBe(true);
  expect(item.facts.video_codec).toBe('hevc');

  await addToTimeline(page, fileName(hevc));
  const frame = page.getByTestId('preview-frame');
  await expect.poll(async () => isClose((await screenshotPixels(page, frame))(0.5, 0.5), LIME)).toBe(true);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(async () => page.evaluate(() => (window as any).__hospup.playback.getState().playhead as number)).toBeGreaterThan(0.8);
  expect(isClose((await screenshotPixels(page, frame))(0.5, 0.5), LIME)).toBe(true);
});

test('an HLG phone clip is marked HDR and previewed in standard colour', async ({ page }) => {
  test.setTimeout(180_000);
  const hlg = await makeHdrClip(CLIP_DIR, { name: 'e2e-hlg-rot90', transfer: 'hlg', width: 360, height: 640, fps: 30, durationSec: 2, rotation: 90 });
  await createProject(page, 'HDR');
  await importMedia(page, [hlg]);
  const card = mediaItem(page, fileName(hlg));
  const badge = card.locator('.badge.hdr');
  await expect(badge).toHaveText('HDR');
  await expect(badge).toHaveAttribute('title', /HLG HDR, 10-bit: previewed and exported in standard colour/);
  await expect(card.getByText('Preview copy')).toBeVisible({ timeout: 120_000 });
  await addToTimeline(page, fileName(hlg));
  const frame = page.getByTestId('preview-frame');
  // Top half of the upright picture: the saturated red, not the muddy brown of HLG shown as BT.709.
  await expect.poll(async () => isClose((await screenshotPixels(page, frame))(0.5, 0.25), SATURATED_RED, 20)).toBe(true);
});
