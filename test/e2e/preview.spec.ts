// The preview: overlays drawn where the project says (pixels), dragged into place; playback across a cut.
import { test, expect } from '@playwright/test';
import {
  BLUE,
  RED,
  addToTimeline,
  clip,
  createProject,
  editorState,
  fileName,
  importMedia,
  isClose,
  screenshotPixels,
  textTrackItems,
} from './helpers';

// Yellow text on a translucent yellow box over blue: the box blends to (190, 190, 65).
const isYellowish = (p: { r: number; g: number; b: number }) => p.r > 150 && p.g > 150 && p.b < 110;

test('add an overlay, style it, drag it on the preview', async ({ page }) => {
  const blue = await clip('blue', 'blue');
  await createProject(page, 'Overlay');
  await importMedia(page, [blue]);
  await addToTimeline(page, fileName(blue));

  await page.getByRole('button', { name: 'Add text' }).click();
  await expect(textTrackItems(page)).toHaveCount(1);
  const textbox = page.getByRole('textbox', { name: 'Overlay text' });
  await expect(textbox).toHaveValue('Your text');
  await textbox.fill('Welcome');
  await expect(textTrackItems(page).nth(0)).toHaveAttribute('aria-label', 'Welcome');

  // A yellow box behind the text makes a solid patch to look for.
  await page.getByLabel('Background box').check();
  await page.getByLabel('Box colour').fill('#ffff00');
  await page.getByLabel('Colour', { exact: true }).fill('#ffff00');

  const frame = page.getByTestId('preview-frame');
  await expect(frame.locator('[data-overlay-id]')).toHaveCount(1);
  let pixels = await screenshotPixels(page, frame);
  let state = await editorState(page);
  const { x, y } = state.overlays[0].position;
  expect(isYellowish(pixels(x / 100, y / 100))).toBe(true);
  expect(isClose(pixels(0.5, 0.8), BLUE)).toBe(true);

  // Drag the overlay down by about 40% of the frame.
  const box = (await frame.boundingBox())!;
  const handle = frame.locator('[data-overlay-id]');
  const hb = (await handle.boundingBox())!;
  await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
  await page.mouse.down();
  await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2 + box.height * 0.2, { steps: 5 });
  await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2 + box.height * 0.4, { steps: 5 });
  await page.mouse.up();
  state = await editorState(page);
  const moved = state.overlays[0].position;
  expect(moved.y).toBeGreaterThan(y + 35);
  expect(moved.y).toBeLessThan(y + 45);
  pixels = await screenshotPixels(page, frame);
  expect(isYellowish(pixels(moved.x / 100, moved.y / 100))).toBe(true);
  expect(isClose(pixels(x / 100, y / 100), BLUE)).toBe(true);

  // The drag is one undo step.
  await page.getByRole('button', { name: 'Undo' }).click();
  state = await editorState(page);
  expect(state.overlays[0].position.y).toBeCloseTo(y, 5);
});

test('play across a cut', async ({ page }) => {
  const red = await clip('red3', 'red', { durationSec: 3 });
  const blue = await clip('blue3', 'blue', { durationSec: 3 });
  await createProject(page, 'Playback');
  await importMedia(page, [red, blue]);
  await addToTimeline(page, fileName(red));
  await addToTimeline(page, fileName(blue));
  await page.keyboard.press('Escape');

  const frame = page.getByTestId('preview-frame');
  await expect.poll(async () => isClose((await screenshotPixels(page, frame))(0.5, 0.5), RED)).toBe(true);

  const firstSrc = await page.evaluate(() => [...document.querySelectorAll('video')].find((v) => v.style.opacity === '1')?.src);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  // Past the cut at 2 s: the playhead keeps going and the blue clip shows.
  await expect.poll(async () => (await editorState(page)).playhead, { timeout: 10_000 }).toBeGreaterThan(3.3);
  const playing = await page.evaluate(() =>
    [...document.querySelectorAll('video')].filter((v) => v.style.opacity === '1').map((v) => ({ src: v.src, t: v.currentTime, paused: v.paused })),
  );
  expect(playing).toHaveLength(1);
  expect(playing[0].paused).toBe(false);
  expect(playing[0].t).toBeGreaterThan(0.2);
  expect(playing[0].src).not.toBe(firstSrc);
  const pixels = await screenshotPixels(page, frame);
  expect(isClose(pixels(0.5, 0.5), BLUE)).toBe(true);

  // It stops by itself at the end, and the button says Play again.
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible({ timeout: 10_000 });
  expect((await editorState(page)).playhead).toBeCloseTo(6, 1);
});

test('a click on the ruler lands on a frame: a text added there shows at full strength', async ({ page }) => {
  const blue = await clip('blue-6s', 'blue', { durationSec: 6 });
  await createProject(page, 'Ruler frame');
  await importMedia(page, [blue]);
  await addToTimeline(page, fileName(blue));
  const ruler = page.getByTestId('timeline-ruler');
  const rulerBox = (await ruler.boundingBox())!;
  const segment = (await page.getByRole('list', { name: 'Video track' }).getByRole('listitem').first().boundingBox())!;
  // About 1.2 s in, off the frame grid by a fraction of a pixel.
  await ruler.click({ position: { x: segment.x - rulerBox.x + segment.width * 0.2 + 0.37, y: rulerBox.height / 2 } });
  const { playhead } = await editorState(page);
  expect(playhead).toBeGreaterThan(0.5);
  expect(Math.abs(playhead * 30 - Math.round(playhead * 30))).toBeLessThan(1e-6);

  await page.getByRole('button', { name: 'Add text' }).click();
  const overlay = (await editorState(page)).overlays[0];
  expect(overlay.start_time).toBeCloseTo(playhead, 6);
  await expect(page.getByTestId('overlay-svg').locator('g')).toHaveAttribute('opacity', '1');
});
