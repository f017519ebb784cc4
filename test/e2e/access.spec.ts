/**
 * Web mode's access key in a real browser: a context without the key gets the bilingual refusal
 * page and the editor never loads; opening the printed `?token=` address loads it, and the key
 * is gone from the address bar (a cookie now carries it).
 */
import { expect, test } from '@playwright/test';
import { WEB_TOKEN } from './helpers';

test.use({ storageState: { cookies: [], origins: [] } });

test('without its key the editor is refused; the printed ?token= address opens it and leaves the address clean', async ({ page, baseURL }) => {
  const refused = await page.goto('/');
  expect(refused?.status()).toBe(401);
  await expect(page.getByText('This address needs its access key.')).toBeVisible();
  await expect(page.getByText('Cette adresse a besoin de sa clé d’accès.')).toBeVisible();

  await page.goto(`/?token=${WEB_TOKEN}`);
  await expect(page.getByLabel('Project name')).toBeVisible();
  expect(page.url()).toBe(baseURL);
  const cookies = await page.context().cookies();
  expect(cookies.map((c) => [c.name.startsWith('hospup_token_'), c.httpOnly, c.sameSite])).toEqual([[true, true, 'Strict']]);
});
