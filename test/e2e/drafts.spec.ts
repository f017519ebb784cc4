// Drafts: autosave, reload with everything intact, recent projects.
import { test, expect } from '@playwright/test';
import { addToTimeline, backToProjects, clip, createProject, editorState, fileName, importMedia, textTrackItems, videoTrackItems } from './helpers';

test('reload keeps the draft intact', async ({ page }) => {
  const red = await clip('red', 'red');
  const blue = await clip('blue', 'blue');
  await createProject(page, 'Draft');
  await importMedia(page, [red, blue]);
  await addToTimeline(page, fileName(blue));
  await addToTimeline(page, fileName(red));
  await page.getByRole('button', { name: 'Add text' }).click();
  await page.getByRole('textbox', { name: 'Overlay text' }).fill('Breakfast 7-10');
  await page.getByRole('textbox', { name: 'Overlay text' }).blur();
  const before = await editorState(page);

  // No explicit save: the autosave (about 2 s after the last change) must carry everything.
  await page.waitForTimeout(3500);
  await page.reload();
  await expect(videoTrackItems(page)).toHaveCount(2);
  await expect(textTrackItems(page)).toHaveCount(1);
  await expect(page.getByLabel('Project name')).toHaveValue('Draft');
  const after = await editorState(page);
  expect(after.segments).toEqual(before.segments);
  expect(after.overlays).toEqual(before.overlays);
  expect(Object.values(after.mediaNames).sort()).toEqual([fileName(red), fileName(blue)].sort());

  // The project is in the recent list.
  await backToProjects(page);
  await expect(page.getByRole('list', { name: 'Recent projects' })).toContainText('Draft');
});

test('closing and reopening a project keeps the edits without a "recovered" notice', async ({ page }) => {
  const red = await clip('red', 'red');
  await createProject(page, 'Close and reopen');
  await importMedia(page, [red]);
  await addToTimeline(page, fileName(red));
  await page.getByRole('button', { name: 'Add text' }).click();
  await page.getByRole('textbox', { name: 'Overlay text' }).fill('Late checkout');
  await page.waitForTimeout(2500); // let the autosave write its recovery copy
  const before = await editorState(page);

  await backToProjects(page);
  await page.getByRole('list', { name: 'Recent projects' }).getByText('Close and reopen').click();
  await expect(textTrackItems(page)).toHaveCount(1);
  const after = await editorState(page);
  expect(after.segments).toEqual(before.segments);
  expect(after.overlays).toEqual(before.overlays);
  // Not a retrying assertion: the notice would pass it by fading out.
  await page.waitForTimeout(500);
  expect(await page.getByText('Your latest changes were restored.').count()).toBe(0);
});

test('clearing a caption, then renaming and trimming: every edit is saved and there after a reload', async ({ page }) => {
  const red = await clip('red', 'red');
  await createProject(page, 'Cleared caption');
  await importMedia(page, [red]);
  await addToTimeline(page, fileName(red));
  await page.getByRole('button', { name: 'Add text' }).click();
  const text = page.getByRole('textbox', { name: 'Overlay text' });
  await text.fill('Chambres vue mer');
  await text.fill('');
  await text.blur();

  // Edits after the empty caption (these used to be refused by every later autosave, silently).
  await page.getByLabel('Project name').fill('Renamed after clearing');
  await page.getByLabel('Project name').press('Enter');
  await videoTrackItems(page).first().click();
  const out = page.getByRole('textbox', { name: 'Out (s)' });
  await out.fill('1.5');
  await out.press('Enter');
  await expect(page.getByTestId('save-status')).toHaveText('All changes saved', { timeout: 10_000 });
  await expect(page.getByTestId('save-failed')).toHaveCount(0);
  // What will render says the empty caption is left out.
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByTestId('render-notice')).toContainText('Text 1 is left out: it has no words.');

  await page.reload();
  await expect(page.getByLabel('Project name')).toHaveValue('Renamed after clearing');
  const after = await editorState(page);
  expect(after.overlays.map((o) => o.content)).toEqual(['']);
  expect(after.segments[0].end_time).toBeCloseTo(1.5, 6);
});

test('projects share one media library; a project can be renamed, duplicated and deleted', async ({ page }) => {
  const red = await clip('red', 'red');
  await createProject(page, 'Library one');
  await importMedia(page, [red]);
  await backToProjects(page);

  await createProject(page, 'Library two');
  const others = page.getByRole('region', { name: 'From your other projects' });
  await others.getByRole('button', { name: `Use ${fileName(red)} in this project` }).click();
  await expect(page.getByRole('list', { name: 'Project media' }).getByRole('listitem').filter({ hasText: fileName(red) })).toBeVisible();
  await addToTimeline(page, fileName(red));
  await expect(videoTrackItems(page)).toHaveCount(1);
  await backToProjects(page);

  const recent = page.getByRole('list', { name: 'Recent projects' });
  await recent.getByRole('button', { name: 'Rename Library two' }).click();
  await page.getByRole('textbox', { name: 'New name' }).fill('Library renamed');
  await page.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(recent).toContainText('Library renamed');
  await recent.getByRole('button', { name: 'Duplicate Library renamed' }).click();
  await expect(recent).toContainText('Library renamed (copy)');
  await recent.getByRole('button', { name: 'Delete Library renamed (copy)' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
  await expect(recent).not.toContainText('Library renamed (copy)');
  await recent.getByText('Library renamed').click();
  await expect(videoTrackItems(page)).toHaveCount(1);
});
