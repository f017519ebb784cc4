// The export panel in French: plain French words while rendering, dates and sizes in French.
import { test, expect, type Page } from '@playwright/test';
import { addToTimeline, clip, createProject, fileName, importMedia } from './helpers';

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
