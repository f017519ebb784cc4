// Photos and a brand logo as a hotel's staff use them: photos imported with the chooser and by
// drop, put on the timeline (by dragging and with the button), the logo set in the brand kit and
// added to the project, shown in the preview where it renders, then exported and checked by pixels.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { logoBox } from '../../shared/logo';
import { decodeFrame } from '../fixtures/media';
import { makeExif6Jpeg, makeLogoPng, makeRotatedHeic, QUADRANTS } from '../fixtures/photos';
import { CLIP_DIR, createProject, editorState, fileName, importMedia, isClose, mediaItem, projectMedia, screenshotPixels, videoTrackItems } from './helpers';

const rgb = ([r, g, b]: number[]) => ({ r, g, b });

test('photos from the chooser and by drop, on the timeline, a brand logo, exported: upright, filling the frame, 3 s each, logo where the preview showed it', async ({ page }) => {
  test.setTimeout(240_000);
  const [jpeg, heic, logo] = await Promise.all([
    makeExif6Jpeg(CLIP_DIR, 'e2e-terrace-exif6', { width: 300, height: 400 }),
    makeRotatedHeic(CLIP_DIR, 'e2e-iphone', { width: 48, height: 64 }),
    makeLogoPng(CLIP_DIR, 'e2e-logo', { width: 60, height: 30 }, 5),
  ]);
  await createProject(page, 'Photos and logo');

  // The chooser takes photos.
  await importMedia(page, [jpeg]);
  await expect(mediaItem(page, fileName(jpeg))).toContainText('Photo · 300×400 · JPEG');
  // A HEIC dropped on the window.
  await page.evaluate(
    ({ b64, name }) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], name, { type: 'image/heic' }));
      for (const type of ['dragenter', 'dragover', 'drop']) window.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    { b64: readFileSync(heic).toString('base64'), name: fileName(heic) },
  );
  await expect(mediaItem(page, fileName(heic))).toContainText('Photo · 48×64 · HEIC', { timeout: 30_000 });
  // The kind filter.
  await page.getByRole('group', { name: 'Show' }).getByRole('button', { name: 'Videos' }).click();
  await expect(projectMedia(page).getByRole('listitem')).toHaveCount(0);
  await page.getByRole('group', { name: 'Show' }).getByRole('button', { name: 'Photos' }).click();
  await expect(projectMedia(page).getByRole('listitem')).toHaveCount(2);

  // Dragged onto the video track like a clip; the other with the button. Each shows 3 s.
  await expect(mediaItem(page, fileName(jpeg)).locator('.thumb img')).toBeVisible({ timeout: 30_000 });
  await mediaItem(page, fileName(jpeg)).dragTo(page.getByRole('list', { name: 'Video track' }));
  await expect(videoTrackItems(page)).toHaveCount(1);
  await mediaItem(page, fileName(heic)).getByRole('button', { name: 'Add to timeline' }).click();
  await expect(videoTrackItems(page)).toHaveCount(2);
  const state = await editorState(page);
  expect(state.segments.map((s) => [state.mediaNames[s.media_id], s.start_time, s.end_time])).toEqual([[fileName(jpeg), 0, 3], [fileName(heic), 0, 3]]);

  // The preview shows the photo upright and filling the frame.
  await page.getByRole('button', { name: 'Go to start' }).click();
  const frame = page.getByTestId('preview-frame');
  await expect(page.getByTestId('preview-photo')).toBeVisible();
  let pixel = await screenshotPixels(page, frame);
  expect(isClose(pixel(0.04, 0.04), rgb(QUADRANTS.topLeft))).toBe(true);
  expect(isClose(pixel(0.04, 0.96), rgb(QUADRANTS.bottomLeft))).toBe(true);

  // The brand kit: choose the logo, use it in this project.
  await page.getByRole('button', { name: 'Brand kit' }).click();
  const kit = page.getByRole('dialog', { name: 'Brand kit' });
  const chooser = page.waitForEvent('filechooser');
  await kit.getByRole('button', { name: 'Choose a logo' }).click();
  await (await chooser).setFiles(logo);
  await expect(kit.getByTestId('brand-logo-preview')).toBeVisible();
  await kit.getByRole('button', { name: 'Use it in this project' }).click();
  await expect(page.getByTestId('logo-bar')).toBeVisible();
  const placed = await page.evaluate(() => (window as unknown as { __hospup: { editor: { getState(): any } } }).__hospup.editor.getState().logo);
  const box = logoBox(placed, placed.image, { width: 1080, height: 1920 });
  // Clear of the top bar (8 %) and of the captions (from 65 %), inside the 4 % margins.
  expect(box.y).toBeGreaterThanOrEqual(0.08 * 1920 - 1);
  expect(box.y + box.height).toBeLessThanOrEqual(0.65 * 1920 + 1);
  expect(box.x + box.width).toBeLessThanOrEqual(0.96 * 1080 + 1);
  // Shown in the preview at that box.
  const [f, l] = [await frame.boundingBox(), await page.getByTestId('preview-logo').boundingBox()];
  expect(Math.abs((l!.x - f!.x) / f!.width - box.x / 1080)).toBeLessThan(0.01);
  expect(Math.abs((l!.y - f!.y) / f!.height - box.y / 1920)).toBeLessThan(0.01);
  expect(Math.abs(l!.width / f!.width - box.width / 1080)).toBeLessThan(0.01);
  pixel = await screenshotPixels(page, frame);
  expect(isClose(pixel((box.x + box.width / 2) / 1080, (box.y + box.height / 2) / 1920), rgb([255, 255, 255]), 30)).toBe(true);

  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const panel = page.getByRole('dialog', { name: 'Export video' });
  await expect(panel.getByText('Export complete')).toBeVisible({ timeout: 200_000 });
  const outputPath = (await panel.locator('.path').textContent())!;

  for (const at of [1.5, 4.5]) {
    const shot = await decodeFrame(outputPath, at);
    expect(shot.width).toBe(1080);
    const corner = shot.pixel(40, 200);
    expect(isClose(corner, rgb(QUADRANTS.topLeft), 40), `upright photo at ${at} s: ${JSON.stringify(corner)}`).toBe(true);
    expect(isClose(shot.pixel(1040, 1880), rgb(QUADRANTS.bottomRight), 40)).toBe(true);
    const centre = shot.pixel(box.x + box.width / 2, box.y + box.height / 2);
    expect(isClose(centre, rgb([255, 255, 255]), 30), `logo at ${at} s: ${JSON.stringify(centre)}`).toBe(true);
    // Its transparent margin shows the photo (top-right quadrant: lime).
    expect(isClose(shot.pixel(box.x + 2, box.y + 2), rgb(QUADRANTS.topRight), 50)).toBe(true);
  }
  // Exactly 6 s: the photo before the cut is the JPEG, after it the HEIC (same quadrants: count frames).
  const { ffprobeJson } = await import('../fixtures/media');
  const probe = await ffprobeJson(outputPath);
  expect(Math.abs(Number(probe.streams.find((s: { codec_type: string }) => s.codec_type === 'video').duration) - 6)).toBeLessThan(0.05);
});

test('a clip can be muted or turned down in the inspector; the timeline shows it and the export is quieter by that much', async ({ page }) => {
  test.setTimeout(240_000);
  const { clip, addToTimeline } = await import('./helpers');
  const { meanVolumeDb } = await import('../fixtures/media');
  const tone = await clip('tone', 'gray');
  await createProject(page, 'Sound');
  await importMedia(page, [tone]);
  await addToTimeline(page, fileName(tone));
  await addToTimeline(page, fileName(tone));
  await addToTimeline(page, fileName(tone));

  await videoTrackItems(page).nth(1).click();
  await page.getByLabel('Volume (dB)', { exact: true }).last().fill('-12');
  await page.getByLabel('Volume (dB)', { exact: true }).last().press('Enter');
  await expect(videoTrackItems(page).nth(1).getByTestId('segment-sound')).toHaveText('-12 dB');
  await videoTrackItems(page).nth(2).click();
  await page.getByLabel('Mute this clip').check();
  await expect(videoTrackItems(page).nth(2).getByTestId('segment-sound')).toHaveText('Muted');
  const segments = (await editorState(page)).segments as { volume_db?: number; muted?: boolean }[];
  expect(segments.map((s) => [s.volume_db, s.muted])).toEqual([[undefined, undefined], [-12, undefined], [undefined, true]]);

  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const panel = page.getByRole('dialog', { name: 'Export video' });
  await expect(panel.getByText('Export complete')).toBeVisible({ timeout: 200_000 });
  const out = (await panel.locator('.path').textContent())!;
  const [full, quiet, muted] = await Promise.all([0, 2, 4].map((at) => meanVolumeDb(out, at + 0.2, 1.6)));
  expect(Math.abs(full - quiet - 12)).toBeLessThan(1);
  expect(muted).toBeLessThan(-85);
});
