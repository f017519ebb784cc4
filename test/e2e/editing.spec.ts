// Import, arrange, trim, split, undo/redo: through the UI, checked against the project state.
import { test, expect } from '@playwright/test';
import { addToTimeline, clip, createProject, editorState, fileName, importMedia, projectMedia, videoTrackItems } from './helpers';

test('import, arrange, trim, split, undo and redo', async ({ page }) => {
  const red = await clip('red', 'red');
  const blue = await clip('blue', 'blue');
  await createProject(page, 'Editing');

  // Import: one list item per clip, with its file name.
  await importMedia(page, [red, blue]);
  await expect(projectMedia(page).getByRole('listitem')).toHaveCount(2);
  await expect(projectMedia(page).getByRole('listitem').nth(0)).toContainText(fileName(red));
  await expect(projectMedia(page).getByRole('listitem').nth(1)).toContainText(fileName(blue));

  await addToTimeline(page, fileName(red));
  await addToTimeline(page, fileName(blue));
  await expect(videoTrackItems(page)).toHaveCount(2);
  await expect(videoTrackItems(page).nth(0)).toHaveAttribute('aria-label', new RegExp(fileName(red)));

  // Arrange: drag the blue segment before the red one.
  const first = videoTrackItems(page).nth(0);
  const second = videoTrackItems(page).nth(1);
  const a = (await first.boundingBox())!;
  const b = (await second.boundingBox())!;
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2 - 30, b.y + b.height / 2, { steps: 4 });
  await page.mouse.move(a.x + a.width * 0.2, a.y + a.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect(videoTrackItems(page).nth(0)).toHaveAttribute('aria-label', new RegExp(fileName(blue)));
  await expect(videoTrackItems(page).nth(1)).toHaveAttribute('aria-label', new RegExp(fileName(red)));
  let state = await editorState(page);
  expect(state.segments.map((s) => state.mediaNames[s.media_id])).toEqual([fileName(blue), fileName(red)]);

  // Trim: pull the first segment's out handle left by about half a second.
  const pxPerSecond = await page.evaluate(() => (window as any).__hospup.playback.getState().pxPerSecond as number);
  const handle = videoTrackItems(page).nth(0).getByTestId('trim-out');
  const h = (await handle.boundingBox())!;
  await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2);
  await page.mouse.down();
  await page.mouse.move(h.x + h.width / 2 - pxPerSecond * 0.25, h.y + h.height / 2, { steps: 3 });
  await page.mouse.move(h.x + h.width / 2 - pxPerSecond * 0.5, h.y + h.height / 2, { steps: 3 });
  await page.mouse.up();
  state = await editorState(page);
  const trimmedEnd = state.segments[0].end_time;
  expect(trimmedEnd).toBeGreaterThan(1.3);
  expect(trimmedEnd).toBeLessThan(1.7);
  expect(Math.abs(trimmedEnd * 30 - Math.round(trimmedEnd * 30))).toBeLessThan(1e-6); // on a frame
  expect(state.segments[1].end_time).toBe(2);

  // One drag is one undo step.
  await page.getByRole('button', { name: 'Undo' }).click();
  state = await editorState(page);
  expect(state.segments[0].end_time).toBe(2);
  await page.getByRole('button', { name: 'Redo' }).click();
  state = await editorState(page);
  expect(state.segments[0].end_time).toBeCloseTo(trimmedEnd, 6);

  // Split: put the playhead at 0.5 s with the ruler, press S.
  const ruler = page.getByTestId('timeline-ruler');
  const r = (await ruler.boundingBox())!;
  await page.mouse.click(r.x + 16 + pxPerSecond * 0.5, r.y + r.height / 2);
  await expect.poll(async () => (await editorState(page)).playhead).toBeCloseTo(0.5, 1);
  await page.keyboard.press('s');
  await expect(videoTrackItems(page)).toHaveCount(3);
  state = await editorState(page);
  expect(state.segments[0].media_id).toBe(state.segments[1].media_id);
  expect(state.segments[0].end_time).toBeCloseTo(state.segments[1].start_time, 6);

  // Undo / redo with the keyboard and the buttons.
  await page.keyboard.press('Control+z');
  await expect(videoTrackItems(page)).toHaveCount(2);
  await page.keyboard.press('Control+Shift+z');
  await expect(videoTrackItems(page)).toHaveCount(3);

  // Ripple delete: the middle piece goes, the rest closes up.
  await videoTrackItems(page).nth(1).click();
  await page.keyboard.press('Delete');
  await expect(videoTrackItems(page)).toHaveCount(2);
  state = await editorState(page);
  expect(state.segments.map((s) => state.mediaNames[s.media_id])).toEqual([fileName(blue), fileName(red)]);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(videoTrackItems(page)).toHaveCount(3);
});
