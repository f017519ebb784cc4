// One-click export through the embedded local cloud; the file is checked with ffprobe and decoded pixels.
import { test, expect } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { decodeFrame, ffprobeJson } from '../fixtures/media';
import { EXPORT_DIR, addToTimeline, clip, createProject, editorState, fileName, importMedia } from './helpers';

test('export through the local cloud', async ({ page }) => {
  test.setTimeout(240_000);
  const red = await clip('red', 'red');
  const blue = await clip('blue', 'blue');
  await createProject(page, 'Export test');
  await importMedia(page, [red, blue]);
  await addToTimeline(page, fileName(red));
  await addToTimeline(page, fileName(blue));

  // A yellow title over the first second, at the centre-top.
  await page.getByRole('button', { name: 'Add text' }).click();
  await page.getByRole('textbox', { name: 'Overlay text' }).fill('HELLO');
  await page.getByLabel('Colour', { exact: true }).fill('#ffff00');
  await page.getByLabel('Background box').check();
  await page.getByLabel('Box colour').fill('#ffff00');
  await page.getByLabel('Size', { exact: true }).fill('120');
  await page.getByLabel('Size', { exact: true }).press('Enter');
  await page.getByLabel('Ends at (s)').fill('1');
  await page.getByLabel('Ends at (s)').press('Enter');
  const overlay = (await editorState(page)).overlays[0];
  expect(overlay.end_time).toBe(1);

  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const panel = page.getByRole('dialog', { name: 'Export video' });
  await expect(panel.getByRole('progressbar', { name: 'Rendering' })).toBeVisible();
  await expect(panel.getByText('Export complete')).toBeVisible({ timeout: 200_000 });
  const outputPath = await panel.locator('.path').textContent();
  expect(outputPath).toBeTruthy();
  expect(outputPath!.startsWith(EXPORT_DIR)).toBe(true);
  expect(existsSync(outputPath!)).toBe(true);

  // In a browser the file is on the server: a Download (not "Show in folder") gives the same bytes.
  await expect(panel.getByRole('button', { name: 'Show in folder' })).toHaveCount(0);
  const downloading = page.waitForEvent('download');
  await panel.getByRole('link', { name: 'Download the video' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(outputPath!.split('/').pop());
  expect(readFileSync(await download.path())).toEqual(readFileSync(outputPath!));

  // Duration = the two clips; 1080x1920; the title is in its window, at its place, in its colour.
  const probe = await ffprobeJson(outputPath!);
  const video = probe.streams.find((s: { codec_type: string }) => s.codec_type === 'video');
  expect(video.width).toBe(1080);
  expect(video.height).toBe(1920);
  expect(Number(probe.format.duration)).toBeGreaterThan(4 - 0.1);
  expect(Number(probe.format.duration)).toBeLessThan(4 + 0.1);

  const early = await decodeFrame(outputPath!, 0.5);
  const at = early.pixel((overlay.position.x / 100) * 1080, (overlay.position.y / 100) * 1920);
  expect(at.r).toBeGreaterThan(150);
  expect(at.g).toBeGreaterThan(150);
  expect(at.b).toBeLessThan(110);
  const below = early.pixel(540, 1700);
  expect(below.r).toBeGreaterThan(200); // the red clip
  expect(below.b).toBeLessThan(60);

  const late = await decodeFrame(outputPath!, 3);
  const gone = late.pixel((overlay.position.x / 100) * 1080, (overlay.position.y / 100) * 1920);
  expect(gone.b).toBeGreaterThan(200); // blue clip, no title
  expect(gone.r).toBeLessThan(60);

  // The history lists it.
  await expect(panel.getByRole('region', { name: 'Export history' }).getByRole('listitem').first()).toContainText('Export test');
});
