import { test, expect } from '@playwright/test';
import { DEMO, expectAccessible, freshMobile, hydrated, PASSWORD, signIn } from './helpers';

test('an official is refused the admin page', async ({ page }) => {
  await signIn(page, DEMO.official);
  const res = await page.goto('/admin');
  expect(res?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Administration' })).toHaveCount(0);
  await expectAccessible(page);
});

test('a city admin opens the admin page and creates a department', async ({ page }) => {
  await signIn(page, DEMO.cityAdmin);
  await page.getByRole('link', { name: 'Administration' }).click();
  await expect(page.getByRole('heading', { name: 'Administration', level: 1 })).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);
  const code = 'dept-' + Math.floor(Math.random() * 1e6);
  await page.getByLabel('Short code (for example bmc)').fill('Not Valid!');
  await page.getByRole('button', { name: 'Create' }).first().click();
  await expect(page.locator('#code-error').first()).toHaveText(/small letters/);
  await page.getByLabel('Short code (for example bmc)').fill(code);
  await page.getByLabel('Name in English').fill('Odisha Tourism');
  await page.getByRole('button', { name: 'Create' }).first().click();
  await expect(page.getByText('Saved.').first()).toBeVisible();
  await page.goto('/departments');
  await expect(page.getByRole('heading', { name: 'Odisha Tourism' }).first()).toBeVisible();
});

test('a city admin appoints an official and removes them again', async ({ page }) => {
  await signIn(page, DEMO.cityAdmin);
  await page.goto('/admin');
  await hydrated(page);
  const name = 'Ravi Jena ' + Math.floor(Math.random() * 1e6);
  const staffForm = page.locator('form[action="/api/admin/create_staff"]');
  await staffForm.getByLabel('Full name').fill(name);
  await staffForm.getByLabel('Mobile number').fill(freshMobile());
  await staffForm.getByLabel('First password (they can change it on their account page)').fill(PASSWORD);
  await staffForm.getByLabel('Role').selectOption('official');
  await staffForm.getByRole('button', { name: 'Create' }).click();
  await expect(page.locator('#staff-saved')).toBeVisible();
  await page.reload();
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: `Remove staff role ${name}` }).click();
  await expect(page.getByRole('heading', { name: 'Administration', level: 1 })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(name) })).toHaveCount(0);
});

test('a department admin edits a service of their department', async ({ page }) => {
  await signIn(page, DEMO.bmcAdmin);
  await page.goto('/admin/services');
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Park entry and events' }).click();
  await expect(page).toHaveURL(/\/admin\/services\/park-entry$/);
  await hydrated(page);
  await expectAccessible(page);
  await page.getByLabel('Summary in English').fill('Entry tickets, walking passes and event permissions for BMC parks.');
  await page.getByLabel('Fee').fill('ten rupees');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#fee_rupees-error')).toHaveText(/fee in rupees/);
  await expect(page.getByLabel('Summary in English')).toHaveValue(/walking passes/);
  await page.getByLabel('Fee').fill('15');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('link', { name: 'View the service page' }).click();
  await expect(page.getByText(/walking passes/)).toBeVisible();
  await expect(page.getByTestId('fee')).toHaveText('₹15');
});

test('a city admin sees the background jobs running well; a department admin may not', async ({ page }) => {
  await signIn(page, DEMO.cityAdmin);
  await page.goto('/admin');
  await page.getByRole('link', { name: 'Background jobs' }).click();
  await expect(page.getByRole('heading', { name: 'Background jobs', level: 1 })).toBeVisible();
  const jobs = page.getByTestId('jobs');
  await expect(jobs.getByRole('row', { name: /Sending notices · 1/ })).toContainText('Running well');
  await expect(jobs.getByRole('row', { name: /Grievance clock · 1/ })).toContainText('Running well');
  // the clock has run since the server started
  await expect(jobs.getByRole('row', { name: /Grievance clock · 1/ }).getByRole('cell').nth(2)).toHaveText(/\d{2}-\d{2}-\d{4} \d{2}:\d{2}/);
  await expect(jobs.getByRole('button', { name: /Run again now/ })).toHaveCount(0);
  await expectAccessible(page);

  await page.context().clearCookies();
  await signIn(page, DEMO.bmcAdmin);
  const res = await page.goto('/admin/jobs');
  expect(res?.status()).toBe(403);
});

test('a city admin keeps the holiday calendar that time limits count', async ({ page }) => {
  await signIn(page, DEMO.cityAdmin);
  await page.goto('/admin');
  await page.getByRole('link', { name: 'Holidays' }).click();
  await expect(page.getByRole('heading', { name: 'Holidays', level: 1 })).toBeVisible();
  await hydrated(page);
  const day = `${new Date().getFullYear() + 1}-03-04`;
  // no name: said at its field, and the day chosen stays
  await page.getByLabel('Day', { exact: true }).fill(day);
  await page.getByRole('button', { name: 'Add the holiday' }).click();
  await expect(page.locator('#name_en-error')).not.toBeEmpty();
  await expect(page.getByLabel('Day', { exact: true })).toHaveValue(day);
  // (a name of this run's own: the mobile and desktop runs share the database)
  const name = `Holi ${Date.now()}`;
  await page.getByLabel('Name in English').fill(name);
  await page.getByLabel('Name in Odia').fill('ହୋଲି');
  await page.getByRole('button', { name: 'Add the holiday' }).click();
  await expect(page.getByTestId('holidays').getByRole('row', { name: `${day} ${name}` })).toBeVisible();
  await page.waitForLoadState();
  await expectAccessible(page);
});
