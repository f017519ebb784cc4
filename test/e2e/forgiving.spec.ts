// Editing that forgives: a bad file never stops an import, templates ask before replacing,
// undo survives a reload.
import { test, expect } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addToTimeline, BLUE, CLIP_DIR, clip, createProject, editorState, fileName, isClose, mediaItem, projectMedia, RED, screenshotPixels, videoTrackItems } from './helpers';

test('a batch import with a bad file in the middle: the good files come in, the bad one and a broken photo are named with why', async ({ page }) => {
  const red = await clip('red', 'red');
  const blue = await clip('blue', 'blue');
  mkdirSync(CLIP_DIR, { recursive: true });
  const broken = join(CLIP_DIR, 'broken-clip.mp4');
  writeFileSync(broken, 'this is not a video, only text with an .mp4 name');
  const photo = join(CLIP_DIR, 'breakfast.jpg');
  writeFileSync(photo, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]));
  await createProject(page, 'Batch');

  const chooserPromise = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import media' }).click();
  await (await chooserPromise).setFiles([red, broken, photo, blue]);

  await expect(mediaItem(page, fileName(red))).toBeVisible({ timeout: 30_000 });
  await expect(mediaItem(page, fileName(blue))).toBeVisible({ timeout: 30_000 });
  const report = page.getByRole('alert', { name: 'Files not imported' });
  await expect(report).toContainText('2 files could not be imported');
  await expect(report).toContainText('broken-clip.mp4 — Not a photo or video file we can read');
  await expect(report).toContainText('breakfast.jpg — Not a photo we can read: breakfast.jpg');
  await expect(projectMedia(page).getByRole('listitem')).toHaveCount(2);
});

test('a template on a non-empty timeline asks; "add after" keeps the clips, undo is one step, and undo works after a reload', async ({ page }) => {
  const red = await clip('red', 'red');
  const blue = await clip('blue', 'blue');
  await createProject(page, 'Template asks');
  const chooserPromise = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import media' }).click();
  await (await chooserPromise).setFiles([red, blue]);
  await addToTimeline(page, fileName(red));
  await expect(videoTrackItems(page)).toHaveCount(1);

  await page.getByRole('button', { name: 'Templates' }).click();
  const dialog = page.getByRole('dialog', { name: 'Templates' });
  await dialog.getByRole('button', { name: /^Use template / }).first().click();
  const ask = dialog.getByRole('alertdialog', { name: 'Your timeline already has clips' });
  await expect(ask).toBeVisible();
  // Cancel changes nothing.
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toHaveCount(0);
  expect((await editorState(page)).segments).toHaveLength(1);

  await dialog.getByRole('button', { name: /^Use template / }).first().click();
  await ask.getByRole('button', { name: 'Add after my clips' }).click();
  await expect(dialog).toHaveCount(0);
  let state = await editorState(page);
  expect(state.segments.length).toBeGreaterThan(1);
  expect(state.mediaNames[state.segments[0].media_id]).toBe(fileName(red));
  const firstId = state.segments[0].id;
  const withTemplate = state.segments.length;

  // One undo step takes the whole template away.
  await page.getByRole('button', { name: 'Undo' }).click();
  state = await editorState(page);
  expect(state.segments.map((s) => s.id)).toEqual([firstId]);
  await page.getByRole('button', { name: 'Redo' }).click();
  expect((await editorState(page)).segments).toHaveLength(withTemplate);

  // The history is saved with the draft: after a reload, undo still works.
  await expect(page.getByTestId('save-status')).toHaveText('All changes saved', { timeout: 10_000 });
  await page.reload();
  await expect(videoTrackItems(page)).toHaveCount(withTemplate);
  await expect(page.getByRole('button', { name: 'Undo' })).toBeEnabled();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(videoTrackItems(page)).toHaveCount(1);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(videoTrackItems(page)).toHaveCount(0);
});

test('after a template and undo, the preview shows the clip at the playhead (with a loading state, never the wrong clip)', async ({ page }) => {
  const red = await clip('red', 'red');
  const blue = await clip('blue', 'blue');
  await createProject(page, 'Preview after undo');
  const chooserPromise = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import media' }).click();
  await (await chooserPromise).setFiles([red, blue]);
  await addToTimeline(page, fileName(red));
  const frame = page.getByTestId('preview-frame');
  const centre = async () => (await screenshotPixels(page, frame))(0.5, 0.5);
  const settled = async () => {
    await expect(page.getByTestId('preview-loading')).toHaveCount(0);
    await page.waitForTimeout(200);
  };
  await settled();
  expect(isClose(await centre(), RED)).toBe(true);

  // A template filled with the blue clip only, replacing the timeline.
  await page.getByRole('button', { name: 'Templates' }).click();
  const dialog = page.getByRole('dialog', { name: 'Templates' });
  await dialog.getByRole('checkbox', { name: fileName(red) }).uncheck();
  await dialog.getByRole('button', { name: /^Use template / }).first().click();
  await dialog.getByRole('button', { name: 'Replace my clips and texts' }).click();
  await expect(dialog).toHaveCount(0);
  await settled();
  await expect.poll(async () => isClose(await centre(), BLUE)).toBe(true);

  await page.getByRole('button', { name: 'Undo' }).click();
  await settled();
  await expect.poll(async () => isClose(await centre(), RED)).toBe(true);
  await page.getByRole('button', { name: 'Redo' }).click();
  await settled();
  await expect.poll(async () => isClose(await centre(), BLUE)).toBe(true);
});

test('a new text box starts with its placeholder selected: typing replaces it', async ({ page }) => {
  const red = await clip('red', 'red');
  await createProject(page, 'Typing');
  const chooserPromise = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import media' }).click();
  await (await chooserPromise).setFiles([red]);
  await addToTimeline(page, fileName(red));
  await page.getByRole('button', { name: 'Add text' }).click();
  await expect(page.getByRole('textbox', { name: 'Overlay text' })).toBeFocused();
  await page.keyboard.type('Chambres vue mer');
  await expect(page.getByRole('textbox', { name: 'Overlay text' })).toHaveValue('Chambres vue mer');
});
