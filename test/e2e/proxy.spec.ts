// A HEVC phone clip the preview cannot decode plays through its proxy (export keeps the original).
import { test, expect } from '@playwright/test';
import { LIME, addToTimeline, clip, createProject, fileName, importMedia, isClose, mediaItem, screenshotPixels } from './helpers';

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
