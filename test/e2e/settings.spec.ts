// Settings as a person uses it: typing key by key, testing AWS, changing one's mind.
import { test, expect } from '@playwright/test';
import { createProject } from './helpers';

test('typing in Settings keeps the focus in the field', async ({ page }) => {
  await createProject(page, 'Typing');
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  const folder = dialog.getByLabel('Export folder');
  await folder.click();
  await folder.press('Control+a');
  await page.keyboard.type('/tmp/hotel videos', { delay: 20 });
  await expect(folder).toHaveValue('/tmp/hotel videos');
  await expect(folder).toBeFocused();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});

test('AWS test connection: empty names are named; Cancel keeps the previous target', async ({ page }) => {
  await createProject(page, 'AWS test');
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByLabel('AWS (MediaConvert)').check();
  await dialog.getByLabel('Bucket').fill('');
  await dialog.getByLabel('Function name').fill('');
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  const steps = dialog.getByRole('list', { name: 'Connection test' });
  await expect(steps).toContainText('Enter the bucket name.');
  await expect(steps).toContainText('Enter the function name.');
  // Nothing was saved by a test that could not run.
  await expect(page.getByText('AWS', { exact: true })).toHaveCount(0);

  // Wrong values: the test saves them to run, Cancel must put the local cloud back.
  await dialog.getByLabel('Credentials').selectOption('profile');
  await dialog.getByLabel('Profile', { exact: true }).fill('no-such-profile-here');
  await dialog.getByLabel('Bucket').fill('my-hotel-bucket');
  await dialog.getByLabel('Function name').fill('hospup-video-generator');
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  await expect(steps).toContainText('Credentials');
  await expect(steps).toContainText('no-such-profile-here');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();

  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByRole('dialog', { name: 'Export video' })).toContainText('Rendering on this computer (local cloud).');
  await page.reload();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('dialog', { name: 'Settings' }).getByLabel('This computer (local cloud)')).toBeChecked();
});
