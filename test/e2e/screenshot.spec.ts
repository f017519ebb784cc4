// Not a check: renders docs/screenshot.png of the editor with a small real project.
// Run: HOSPUP_SCREENSHOT=1 npx playwright test test/e2e/screenshot.spec.ts
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ffmpegPath } from '../../node/media/ffmpeg-paths';
import { CLIP_DIR, addToTimeline, createProject, importMedia, textTrackItems, videoTrackItems } from './helpers';

const SOURCES: Record<string, string> = {
  'terrace-sunset.mp4': 'mandelbrot=size=360x640:rate=30,hue=h=30',
  'lobby-walkthrough.mp4': 'testsrc2=size=360x640:rate=30,hue=s=0.6',
  'pool-morning.mp4': 'mandelbrot=size=360x640:rate=30:start_scale=0.8,hue=h=190',
};

function makeClip(name: string, source: string): string {
  mkdirSync(CLIP_DIR, { recursive: true });
  const file = join(CLIP_DIR, name);
  if (!existsSync(file)) {
    execFileSync(ffmpegPath(), ['-y', '-loglevel', 'error', '-f', 'lavfi', '-i', source, '-t', '3', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file]);
  }
  return file;
}

test('screenshot of the editor', async ({ page }) => {
  test.skip(!process.env.HOSPUP_SCREENSHOT, 'set HOSPUP_SCREENSHOT=1 to refresh docs/screenshot.png');
  const files = Object.entries(SOURCES).map(([name, source]) => makeClip(name, source));
  await createProject(page, 'Summer at Belle Vue');
  await importMedia(page, files);
  for (const file of files) await addToTimeline(page, file.split('/').pop()!);
  await expect(videoTrackItems(page)).toHaveCount(3);

  await page.getByRole('button', { name: 'Add text' }).click();
  await page.getByRole('textbox', { name: 'Overlay text' }).fill('Hotel Belle Vue\nSummer 2026');
  await page.getByLabel('Horizontal position (%)').fill('50');
  await page.getByLabel('Vertical position (%)').fill('22');
  await page.getByLabel('Vertical position (%)').press('Enter');
  await page.getByLabel('Font').selectOption('Playfair Display');
  await page.getByRole('button', { name: 'Play' }).focus();
  await page.evaluate(() => (window as any).__hospup.playback.getState().seek(3.6));
  await page.getByRole('button', { name: 'Add text' }).click();
  await page.getByRole('textbox', { name: 'Overlay text' }).fill('Breakfast on the terrace');
  await page.getByLabel('Background box').check();
  await page.getByLabel('Size', { exact: true }).fill('56');
  await page.getByLabel('Vertical position (%)').fill('58');
  await page.getByLabel('Vertical position (%)').press('Enter');
  await expect(textTrackItems(page)).toHaveCount(2);
  await page.getByLabel('Safe zones').check();
  await page.evaluate(() => (window as any).__hospup.playback.getState().seek(1.2));
  await textTrackItems(page).first().click();
  await page.waitForTimeout(800);
  await page.screenshot({ path: 'docs/screenshot.png' });
});
