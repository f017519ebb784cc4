/** Shared steps for the editor's end-to-end tests. */
import { expect, type Locator, type Page } from '@playwright/test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestClip, type ClipSpec } from '../fixtures/media';

/** Clips are cached across runs (keyed by their spec), outside the per-run data folder. */
export const CLIP_DIR = join(tmpdir(), 'hospup-e2e-clips');

export const RUN_DIR = process.env.HOSPUP_E2E_DIR ?? join(tmpdir(), 'hospup-e2e');
export const EXPORT_DIR = join(RUN_DIR, 'exports');
/** The web host's access key for this run (playwright.config.ts gives it to the host and, as a cookie, to every page). */
export const WEB_TOKEN = process.env.HOSPUP_WEB_TOKEN ?? '';

const SMALL = { width: 360, height: 640, fps: 30, durationSec: 2 } as const;

export function clip(name: string, color: string, extra: Partial<ClipSpec> = {}): Promise<string> {
  return makeTestClip(CLIP_DIR, { name, color, ...SMALL, ...extra });
}

export async function createProject(page: Page, name: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Project name').fill(name);
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByRole('region', { name: 'Media library' })).toBeVisible();
}

/** Back to the projects screen, waiting until it shows: the close writes the project first,
 * and a reload before that ends reopens the project (as it should: nothing is lost). */
export async function backToProjects(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Back to projects' }).click();
  await expect(page.getByRole('button', { name: 'Create project' })).toBeVisible();
}

export function mediaLibrary(page: Page): Locator {
  return page.getByRole('region', { name: 'Media library' });
}

export function videoTrackItems(page: Page): Locator {
  return page.getByRole('list', { name: 'Video track' }).getByRole('listitem');
}

export function textTrackItems(page: Page): Locator {
  return page.getByRole('list', { name: 'Text track' }).getByRole('listitem');
}

/** Import through the standard file chooser opened by "Import media". */
export async function importMedia(page: Page, files: string[]): Promise<void> {
  const chooserPromise = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import media' }).click();
  const chooser = await chooserPromise;
  expect(chooser.isMultiple()).toBe(true);
  await chooser.setFiles(files);
  for (const file of files) {
    const name = file.split('/').pop()!;
    await expect(mediaItem(page, name)).toBeVisible({ timeout: 30_000 });
  }
}

/** The project's own media (not the "from your other projects" list below it). */
export function projectMedia(page: Page): Locator {
  return mediaLibrary(page).getByRole('list', { name: 'Project media' });
}

export function mediaItem(page: Page, fileName: string): Locator {
  return projectMedia(page).getByRole('listitem').filter({ hasText: fileName });
}

export async function addToTimeline(page: Page, fileName: string): Promise<void> {
  const button = mediaItem(page, fileName).getByRole('button', { name: 'Add to timeline' });
  await expect(button).toBeEnabled({ timeout: 30_000 });
  await button.click();
}

export function fileName(path: string): string {
  return path.split('/').pop()!;
}

/** Current project state straight from the store (for exact checks after UI actions). */
export async function editorState(page: Page): Promise<{
  segments: { id: string; media_id: string; start_time: number; end_time: number }[];
  overlays: { id: string; content: string; start_time: number; end_time: number; position: { x: number; y: number } }[];
  mediaNames: Record<string, string>;
  playhead: number;
}> {
  return page.evaluate(() => {
    const w = window as unknown as { __hospup: { editor: { getState(): any }; playback: { getState(): any } } };
    const s = w.__hospup.editor.getState();
    return {
      segments: s.segments,
      overlays: s.overlays,
      mediaNames: Object.fromEntries(s.media.map((m: { id: string; name: string }) => [m.id, m.name])),
      playhead: w.__hospup.playback.getState().playhead,
    };
  });
}

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/**
 * Screenshot of an element, decoded in the page (no PNG library needed in node); returns a
 * function reading pixels at fractions (0..1) of the element.
 */
export async function screenshotPixels(page: Page, locator: Locator): Promise<(fx: number, fy: number) => Rgb> {
  const png = await locator.screenshot();
  const { width, height, data } = await page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const pixels = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    return { width: bitmap.width, height: bitmap.height, data: Array.from(pixels) };
  }, png.toString('base64'));
  return (fx, fy) => {
    const x = Math.min(width - 1, Math.max(0, Math.floor(fx * width)));
    const y = Math.min(height - 1, Math.max(0, Math.floor(fy * height)));
    const i = (y * width + x) * 4;
    return { r: data[i], g: data[i + 1], b: data[i + 2] };
  };
}

export function isClose(actual: Rgb, expected: Rgb, tolerance = 60): boolean {
  return Math.abs(actual.r - expected.r) <= tolerance && Math.abs(actual.g - expected.g) <= tolerance && Math.abs(actual.b - expected.b) <= tolerance;
}

export const RED = { r: 255, g: 0, b: 0 };
export const BLUE = { r: 0, g: 0, b: 255 };
export const LIME = { r: 0, g: 255, b: 0 };
export const YELLOW = { r: 255, g: 255, b: 0 };
