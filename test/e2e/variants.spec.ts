// One edit, every format and language: two formats x two languages, a caption translated and
// moved in one format only, a clip reframed in the other format; one export makes the four
// files, each at its frame size with its language's caption where its format places it.
import { test, expect, type Page } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeFrame, ffprobeJson, type DecodedFrame } from '../fixtures/media';
import { EXPORT_DIR, addToTimeline, clip, createProject, fileName, importMedia, screenshotPixels, videoTrackItems } from './helpers';

interface VariantState {
  overlays: { position: { x: number; y: number }; placements?: Record<string, { position?: { x: number; y: number } }>; translations?: Record<string, string> }[];
  segments: { focus?: { x: number; y: number }; placements?: Record<string, { focus?: { x: number; y: number } }> }[];
  formats?: string[];
  languages?: string[];
}

function variantState(page: Page): Promise<VariantState> {
  return page.evaluate(() => {
    const s = (window as unknown as { __hospup: { editor: { getState(): VariantState } } }).__hospup.editor.getState();
    return { overlays: s.overlays, segments: s.segments, formats: s.formats, languages: s.languages };
  });
}

/** The white caption's extent in a frame: the rows and columns holding near-white pixels (the clip is black and navy). */
function brightBox(frame: DecodedFrame): { top: number; bottom: number; left: number; right: number } {
  let top = Infinity, bottom = -1, left = Infinity, right = -1;
  for (let y = 0; y < frame.height; y += 2) {
    for (let x = 0; x < frame.width; x += 2) {
      const p = frame.pixel(x, y);
      if (p.r > 200 && p.g > 200 && p.b > 200) {
        top = Math.min(top, y); bottom = Math.max(bottom, y); left = Math.min(left, x); right = Math.max(right, x);
      }
    }
  }
  return { top, bottom, left, right };
}

test('two formats x two languages from one edit', async ({ page }) => {
  test.setTimeout(480_000);
  // Top half black, bottom half navy: the 16:9 crop of this portrait clip shows which half it keeps.
  const dark = await clip('dark-halves', 'black', { bottomColor: 'navy' });
  await createProject(page, 'Variants test');
  // New projects take the brand kit's logo, which another spec may have set; the caption is read
  // from the white pixels of the files, so this project has none.
  const hasLogo = await page.evaluate(() => Boolean((window as unknown as { __hospup: { editor: { getState(): { logo: unknown } } } }).__hospup.editor.getState().logo));
  if (hasLogo) {
    await page.getByTestId('logo-bar').click();
    await page.getByRole('button', { name: 'Remove the logo' }).click();
    await expect(page.getByTestId('logo-bar')).toHaveCount(0);
  }
  await importMedia(page, [dark]);

  // Formats & languages, in the project inspector.
  await page.getByLabel('Make a 16:9 video').check();
  await page.getByLabel('Add a language').selectOption('fr');
  await page.getByLabel('Add a language').selectOption('en');
  await expect(page.getByTestId('language-fr')).toContainText('written in');
  await addToTimeline(page, fileName(dark));

  // A white caption written in French, then its English text.
  await page.getByRole('button', { name: 'Add text' }).click();
  const textBox = page.getByRole('textbox', { name: 'Overlay text' });
  await textBox.fill('BIENVENUE');
  await page.getByLabel('Size', { exact: true }).fill('110');
  await page.getByLabel('Size', { exact: true }).press('Enter');
  await expect(page.getByTestId('missing-en')).toHaveText('1 missing');
  await expect(page.getByTestId('translation-badge')).toHaveText('en');
  await page.getByTestId('show-language-en').click();
  await expect(textBox).toHaveValue('');
  await textBox.fill('HI');
  await expect(page.getByTestId('missing-en')).toHaveCount(0);
  await expect(page.getByTestId('translation-badge')).toHaveCount(0);

  // In 16:9 only: the caption goes low; its size stays.
  await page.getByRole('group', { name: 'Format shown' }).getByRole('button', { name: '16:9' }).click();
  const frame = page.getByTestId('preview-frame');
  await expect.poll(async () => { const b = await frame.boundingBox(); return b && b.width > b.height; }).toBe(true);
  // A drag on the preview moves the caption in the shown format only.
  const handle = page.locator('.overlay-handle').first();
  const box = (await handle.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 + 40, { steps: 5 });
  await page.mouse.up();
  let dragged = await variantState(page);
  expect(dragged.overlays[0].position).toEqual({ x: 50, y: 30 });
  expect(dragged.overlays[0].placements?.['16:9']?.position?.y).toBeGreaterThan(35);
  await page.getByLabel('Vertical position (%)').fill('80');
  await page.getByLabel('Vertical position (%)').press('Enter');
  let state = await variantState(page);
  expect(state.formats).toEqual(['9:16', '16:9']);
  expect(state.languages).toEqual(['fr', 'en']);
  expect(state.overlays[0].position.y).toBe(30);
  expect(state.overlays[0].placements?.['16:9']?.position?.y).toBe(80);
  expect(state.overlays[0].translations).toEqual({ en: 'HI' });

  // Nothing is lost: a reload brings back the formats, languages, translation and placement.
  await page.reload();
  await expect(page.getByTestId('variant-switcher')).toBeVisible();
  dragged = await variantState(page);
  expect([dragged.formats, dragged.languages, dragged.overlays[0].translations]).toEqual([['9:16', '16:9'], ['fr', 'en'], { en: 'HI' }]);
  expect(dragged.overlays[0].placements?.['16:9']?.position?.y).toBe(80);
  await page.getByRole('group', { name: 'Format shown' }).getByRole('button', { name: '16:9' }).click();

  // The clip reframed in 16:9 on its bottom (navy) half; the preview crops as the render will.
  await videoTrackItems(page).first().click();
  await expect(page.getByRole('group', { name: 'Framing in 16:9' })).toBeVisible();
  await page.getByLabel('Focus down (%)').fill('100');
  state = await variantState(page);
  expect(state.segments[0].placements?.['16:9']?.focus).toEqual({ x: 50, y: 100 });
  expect(state.segments[0].focus).toBeUndefined();
  await expect.poll(async () => {
    const px = (await screenshotPixels(page, frame))(0.5, 0.2);
    return px.b > 90 && px.r < 60;
  }, { timeout: 15_000 }).toBe(true);
  await page.getByRole('group', { name: 'Format shown' }).getByRole('button', { name: '9:16' }).click();
  await expect.poll(async () => (await screenshotPixels(page, frame))(0.5, 0.2).b < 50, { timeout: 15_000 }).toBe(true);

  // One export, all four ticked.
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const panel = page.getByRole('dialog', { name: 'Export video' });
  await expect(panel.getByTestId('variant-matrix')).toBeVisible();
  await expect(panel.getByText('4 videos in one export')).toBeVisible();
  // Ticks are per row and column: without English, two videos; back to four.
  await panel.getByLabel('Export in English').uncheck();
  await expect(panel.getByText('2 videos in one export')).toBeVisible();
  await expect(panel.getByTestId('variant-16x9-en')).toHaveText('—');
  await expect(panel.getByLabel('Export in French')).toBeDisabled();
  await panel.getByLabel('Export in English').check();
  await expect(panel.getByText('4 videos in one export')).toBeVisible();
  await panel.getByRole('button', { name: 'Export the ticked videos' }).click();
  await expect(panel.getByText('Export complete')).toBeVisible({ timeout: 420_000 });
  const folder = (await panel.locator('p.path').textContent())!;
  expect(folder.startsWith(EXPORT_DIR)).toBe(true);
  for (const label of ['9x16-fr', '9x16-en', '16x9-fr', '16x9-en']) {
    await expect(panel.getByTestId(`file-${label}`).first()).toBeVisible();
    await expect(panel.getByTestId(`variant-${label}`)).toHaveText('✓');
  }

  const boxes: Record<string, ReturnType<typeof brightBox>> = {};
  for (const [label, width, height] of [['9x16-fr', 1080, 1920], ['9x16-en', 1080, 1920], ['16x9-fr', 1920, 1080], ['16x9-en', 1920, 1080]] as const) {
    const file = join(folder, `Variants test-${label}.mp4`);
    expect(existsSync(file), file).toBe(true);
    const video = (await ffprobeJson(file)).streams.find((s: { codec_type: string }) => s.codec_type === 'video');
    expect([video.width, video.height], label).toEqual([width, height]);
    const decoded = await decodeFrame(file, 1);
    boxes[label] = brightBox(decoded);
    const centreY = (boxes[label].top + boxes[label].bottom) / 2 / height;
    // 9:16 keeps the caption at 30 %; 16:9 has it at 80 % (a caption box, so within a few percent).
    expect(Math.abs(centreY - (label.startsWith('9x16') ? 0.3 : 0.8)), `${label} caption centre at ${centreY}`).toBeLessThan(0.04);
    // The 16:9 crop keeps the navy half; the 9:16 frame shows the black top behind the caption.
    const behind = decoded.pixel(width / 2, height * 0.1);
    if (label.startsWith('16x9')) expect(behind.b, `${label} reframed on the navy half`).toBeGreaterThan(90);
    else expect(behind.b, `${label} black top`).toBeLessThan(50);
  }
  // Each language its own words: "BIENVENUE" is much wider than "HI".
  for (const format of ['9x16', '16x9']) {
    const width = (b: ReturnType<typeof brightBox>) => b.right - b.left;
    expect(width(boxes[`${format}-fr`])).toBeGreaterThan(width(boxes[`${format}-en`]) * 2.5);
  }
  // The history lists the export with its four files.
  await expect(panel.getByRole('region', { name: 'Export history' }).getByRole('listitem').first()).toContainText('Variants test');
  await panel.getByRole('button', { name: 'Close' }).click();

  // Caption files: a German translator's WebVTT fills the caption it meets in time; the SRT out has each language's words.
  await page.keyboard.press('Escape');
  await page.getByLabel('Add a language').selectOption('de');
  await expect(page.getByTestId('missing-de')).toHaveText('1 missing');
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import captions for de' }).click();
  await (await chooser).setFiles({ name: 'de.vtt', mimeType: 'text/vtt', buffer: Buffer.from('WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nWILLKOMMEN\n\n00:00:09.000 --> 00:00:10.000\nZU SPÄT\n') });
  await expect(page.getByTestId('caption-import-report')).toContainText('1 captions got their text from de.vtt');
  await expect(page.getByTestId('caption-import-report')).toContainText('ZU SPÄT');
  expect((await variantState(page)).overlays[0].translations).toEqual({ en: 'HI', de: 'WILLKOMMEN' });
  await expect(page.getByTestId('missing-de')).toHaveCount(0);
  const saving = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save en as SRT' }).click();
  const srt = readFileSync(await (await saving).path(), 'utf8');
  expect(srt).toMatch(/^1\r?\n00:00:00,000 --> 00:00:0\d,\d{3}\r?\nHI\r?\n/);
});
