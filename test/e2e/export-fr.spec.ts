// French UI: the export panel's words, dates and sizes; built-in templates with French titles.
import { test, expect, type Page } from '@playwright/test';
import { addToTimeline, clip, createProject, editorState, fileName, importMedia } from './helpers';

async function setLocale(page: Page, locale: 'fr' | 'auto') {
  const res = await page.request.post('/api/call/updateSettings', { data: [{ locale }] });
  expect(res.ok()).toBe(true);
}

test.afterEach(async ({ page }) => {
  await setLocale(page, 'auto'); // the settings are shared by the whole run
});

test('export panel in French says what happens in French', async ({ page }) => {
  test.setTimeout(180_000);
  const green = await clip('green', 'green');
  await createProject(page, 'Export FR');
  await importMedia(page, [green]);
  await addToTimeline(page, fileName(green));
  await setLocale(page, 'fr');
  await page.reload();
  await page.getByRole('button', { name: 'Exporter', exact: true }).click();
  const panel = page.getByRole('dialog', { name: 'Exporter la vidéo' });

  // Watch the panel while it renders: never MediaConvert's raw phase names.
  const seen = new Set<string>();
  await expect
    .poll(
      async () => {
        const text = await panel.innerText();
        seen.add(text);
        return text.includes('Export terminé');
      },
      { timeout: 150_000, intervals: [100] },
    )
    .toBe(true);
  for (const text of seen) expect(text).not.toMatch(/PROBING|TRANSCODING|UPLOADING/);

  const done = panel.locator('.history-item.done').first();
  await expect(done).toContainText(/Terminé · \d+\.\d Mo/);
  await expect(done).not.toContainText(/AM|PM/);
});

test('a built-in template applied in French puts French titles in the video', async ({ page }) => {
  const green = await clip('green', 'green');
  await createProject(page, 'Hôtel du Lac');
  await importMedia(page, [green]);
  await setLocale(page, 'fr');
  await page.reload();
  await page.getByRole('button', { name: 'Modèles' }).click();
  const dialog = page.getByRole('dialog', { name: 'Modèles' });
  await expect(dialog).toContainText('Visite de l’hôtel');
  await expect(dialog).not.toContainText('Hotel tour');
  await dialog.getByRole('button', { name: 'Utiliser le modèle Visite de l’hôtel' }).click();
  await expect(dialog).toBeHidden();
  const contents = (await editorState(page)).overlays.map((o) => o.content);
  expect(contents).toEqual(['Bienvenue\nHôtel du Lac', 'Réservez votre séjour']);
});

test('numbers typed with a decimal comma are understood (French keyboards)', async ({ page }) => {
  const blue = await clip('blue-6s', 'blue', { durationSec: 6 });
  await createProject(page, 'Virgule');
  await importMedia(page, [blue]);
  await addToTimeline(page, fileName(blue));
  await setLocale(page, 'fr');
  await page.reload();
  await page.getByRole('list', { name: 'Piste vidéo' }).getByRole('listitem').first().click();
  const start = page.getByLabel('Début (s)');
  await start.click();
  await start.press('Control+a');
  await page.keyboard.type('1,5');
  await page.keyboard.press('Enter');
  await expect(start).toHaveValue('1,5');
  expect((await editorState(page)).segments[0].start_time).toBe(1.5);
  await start.press('ArrowUp'); // ↑ steps it like a spin box (one frame here)
  await expect.poll(async () => (await editorState(page)).segments[0].start_time).toBeGreaterThan(1.5);
});
