// Keyboard editing, templates, and the language setting.
import { test, expect } from '@playwright/test';
import { addToTimeline, clip, createProject, editorState, fileName, importMedia, projectMedia, textTrackItems, videoTrackItems } from './helpers';

test('keyboard: space, frame steps, I/O, split, delete, undo', async ({ page }) => {
  const red = await clip('red', 'red');
  await createProject(page, 'Keys');
  await importMedia(page, [red]);
  await addToTimeline(page, fileName(red));
  await page.locator('body').click({ position: { x: 5, y: 300 } });

  // Frame steps with the arrows (30 fps).
  for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowRight');
  await expect.poll(async () => (await editorState(page)).playhead).toBeCloseTo(0.3, 5);
  await page.keyboard.press('ArrowLeft');
  await expect.poll(async () => (await editorState(page)).playhead).toBeCloseTo(8 / 30, 5);

  // I sets the in point of the segment under the playhead.
  await page.keyboard.press('i');
  let state = await editorState(page);
  expect(state.segments[0].start_time).toBeCloseTo(8 / 30, 5);
  // The playhead goes back to the segment start; step to 1 s and set the out point.
  for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('o');
  state = await editorState(page);
  expect(state.segments[0].end_time - state.segments[0].start_time).toBeCloseTo(1, 5);

  // Space plays and pauses.
  await page.keyboard.press('Home');
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.waitForTimeout(400);
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  expect((await editorState(page)).playhead).toBeGreaterThan(0.1);

  // Typing in the text box never triggers shortcuts.
  await page.getByRole('button', { name: 'Add text' }).click();
  const textbox = page.getByRole('textbox', { name: 'Overlay text' });
  await textbox.fill('');
  await textbox.pressSequentially('Sis ok');
  await expect(textbox).toHaveValue('Sis ok');
  await expect(videoTrackItems(page)).toHaveCount(1);
  await expect(textTrackItems(page)).toHaveCount(1);
});

test('templates fill slots from the library', async ({ page }) => {
  const red = await clip('red', 'red');
  const blue = await clip('blue', 'blue');
  await createProject(page, 'Templated');
  await importMedia(page, [red, blue]);
  await page.getByRole('button', { name: 'Templates' }).click();
  const dialog = page.getByRole('dialog', { name: 'Templates' });
  const cards = dialog.getByRole('list', { name: 'Templates' }).getByRole('listitem');
  await expect(cards.first()).toBeVisible();
  expect(await cards.count()).toBeGreaterThanOrEqual(3);
  await cards.first().getByRole('button').click();
  await expect(dialog).toBeHidden();
  await expect.poll(async () => (await editorState(page)).segments.length).toBeGreaterThan(0);
  const state = await editorState(page);
  expect(new Set(state.segments.map((s) => state.mediaNames[s.media_id]))).toEqual(new Set([fileName(red), fileName(blue)]));
  // Applying a template is one undo step.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(videoTrackItems(page)).toHaveCount(0);

  // Save as template: it joins the list.
  await page.getByRole('button', { name: 'Redo' }).click();
  await page.getByRole('button', { name: 'Templates' }).click();
  await dialog.getByLabel('Template name').fill('Our house style');
  await dialog.getByRole('button', { name: 'Save as template' }).click();
  await expect(cards.filter({ hasText: 'Our house style' })).toHaveCount(1);
});

test('language setting switches the interface to French and back', async ({ page }) => {
  await createProject(page, 'Langue');
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByLabel('Language').selectOption('fr');
  await dialog.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('button', { name: 'Exporter', exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Médiathèque' })).toBeVisible();
  await page.getByRole('button', { name: 'Réglages' }).click();
  const fr = page.getByRole('dialog', { name: 'Réglages' });
  await fr.getByLabel('Langue').selectOption('auto'); // the browser's language: en-US
  await fr.getByRole('button', { name: 'Enregistrer les réglages' }).click();
  await expect(page.getByRole('button', { name: 'Export', exact: true })).toBeVisible();
});

test('multi-select and ripple delete; export without clips explains itself', async ({ page }) => {
  const red = await clip('red', 'red');
  const blue = await clip('blue', 'blue');
  await createProject(page, 'Multi');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const panel = page.getByRole('dialog', { name: 'Export video' });
  await expect(panel.getByRole('alert')).toContainText('Add at least one clip');
  await expect(panel.getByRole('button', { name: 'Retry' })).toBeVisible();
  await panel.getByRole('button', { name: 'Close' }).click();

  await importMedia(page, [red, blue]);
  await addToTimeline(page, fileName(red));
  await addToTimeline(page, fileName(blue));
  await addToTimeline(page, fileName(red));
  await videoTrackItems(page).nth(0).click();
  await videoTrackItems(page).nth(2).click({ modifiers: ['Shift'] });
  await expect(page.getByText('2 items selected')).toBeVisible();
  await page.keyboard.press('Delete');
  await expect(videoTrackItems(page)).toHaveCount(1);
  const state = await editorState(page);
  expect(state.mediaNames[state.segments[0].media_id]).toBe(fileName(blue));
  expect(state.segments[0].start_time).toBe(0);
});

test('missing media are reported and can be relinked', async ({ page }) => {
  const red = await clip('red', 'red');
  await createProject(page, 'Relink');
  await importMedia(page, [red]);
  await addToTimeline(page, fileName(red));
  // Remove the file the project points at (web mode keeps uploads in the data folder).
  const path = await page.evaluate(() => Object.values((window as any).__hospup.editor.getState().mediaItems as Record<string, { path: string }>)[0].path);
  const { rmSync } = await import('node:fs');
  await page.getByRole('button', { name: 'Save' }).click();
  rmSync(path);
  await page.reload();
  const banner = page.getByRole('alert').filter({ hasText: 'moved or deleted' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText(fileName(red));
  // The preview says why it is black, rather than "cannot be previewed".
  await expect(page.getByRole('region', { name: 'Preview' })).toContainText(`${fileName(red)} was moved or deleted`);
  const chooserPromise = page.waitForEvent('filechooser');
  await banner.getByRole('button', { name: 'Relink' }).click();
  await (await chooserPromise).setFiles(red);
  await expect(banner).toBeHidden();
  await expect(page.getByRole('region', { name: 'Media library' }).getByText('Missing')).toHaveCount(0);
  // The clip is linked again in place: still one library item, the segment still uses it.
  await expect(projectMedia(page).getByRole('listitem')).toHaveCount(1);
  const state = await editorState(page);
  expect(Object.keys(state.mediaNames)).toEqual([state.segments[0].media_id]);
});

test('drop video files on the window to import them', async ({ page }) => {
  const blue = await clip('blue', 'blue');
  await createProject(page, 'Dropped');
  const { readFileSync } = await import('node:fs');
  const bytes = readFileSync(blue).toString('base64');
  await page.evaluate(
    ({ b64, name }) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], name, { type: 'video/mp4' }));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        window.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }
    },
    { b64: bytes, name: fileName(blue) },
  );
  await expect(projectMedia(page).getByRole('listitem').filter({ hasText: fileName(blue) })).toBeVisible();
});
