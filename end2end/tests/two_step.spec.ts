import { test, expect, Page } from '@playwright/test';
import { DEMO, PASSWORD, expectAccessible, expectNoSidewaysScroll, freshMobile, hydrated, register, signIn, totp } from './helpers';

/** Reads the key shown beside the QR code, as a person would type it into their app. */
async function shownKey(page: Page): Promise<string> {
  await expect(page.getByRole('img', { name: /QR code that adds your Nagarik account/ })).toBeVisible();
  return (await page.getByTestId('secret-key').textContent()) || '';
}

async function passwordStep(page: Page, login: string) {
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Citizen id or mobile number').fill(login);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).last().click();
}

test('a citizen turns two-step sign-in on with an app, and then signs in with its code', async ({ page }) => {
  const mobile = freshMobile();
  await register(page, mobile);
  await page.goto('/me');
  await page.getByRole('link', { name: 'Turn on two-step sign-in' }).click();
  await expect(page.getByRole('heading', { name: 'Set up two-step sign-in', level: 1 })).toBeVisible();
  const key = await shownKey(page);
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);
  await hydrated(page);
  await page.getByLabel('Code from your app').fill('000000');
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByText('That code is not right')).toBeVisible();
  await page.getByLabel('Code from your app').fill(totp(key));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByRole('heading', { name: 'Your recovery codes' })).toBeVisible();
  const codes = ((await page.getByTestId('recovery-codes').textContent()) || '').trim().split('\n');
  expect(codes).toHaveLength(10);
  await page.getByRole('link', { name: 'Continue' }).click();
  await expect(page.getByTestId('two-step-status')).toContainText('Recovery codes left: 10');

  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await passwordStep(page, mobile);
  await expect(page).toHaveURL(/\/sign-in\/second-step/);
  await expect(page.getByRole('heading', { name: 'Second step', level: 1 })).toBeVisible();
  await expectAccessible(page);
  await hydrated(page);
  // A lost phone: a recovery code lets the person in once.
  await page.getByLabel('Code from your app, or a recovery code').fill(codes[0]);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByTestId('two-step-status')).toContainText('Recovery codes left: 9');
});

test('a new official sets two-step sign-in up at their first sign-in, and an admin resets it for a lost phone', async ({ page, browser }) => {
  await signIn(page, DEMO.cityAdmin);
  await page.goto('/admin');
  await hydrated(page);
  const name = 'Sunita Pradhan ' + Math.floor(Math.random() * 1e6);
  const mobile = freshMobile();
  const staffForm = page.locator('form[action="/api/admin/create_staff"]');
  await staffForm.getByLabel('Full name').fill(name);
  await staffForm.getByLabel('Mobile number').fill(mobile);
  await staffForm.getByLabel('First password (they can change it on their account page)').fill(PASSWORD);
  await staffForm.getByLabel('Role').selectOption('official');
  await staffForm.getByRole('button', { name: 'Create' }).click();
  await expect(page.locator('#staff-saved')).toBeVisible();

  const phone = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const official = await phone.newPage();
  await passwordStep(official, mobile);
  await expect(official).toHaveURL(/\/sign-in\/second-step/);
  await expect(official.getByText('Staff accounts need a second step at sign-in')).toBeVisible();
  const key = await shownKey(official);
  await expectAccessible(official);
  await expectNoSidewaysScroll(official);
  await hydrated(official);
  await official.getByLabel('Code from your app').fill(totp(key));
  await official.getByRole('button', { name: 'Turn on' }).click();
  await expect(official.getByTestId('recovery-codes')).toContainText('-');
  await official.getByRole('link', { name: 'Continue' }).click();
  await expect(official).toHaveURL(/\/me$/);
  await expect(official.getByText('Your role requires it, so it cannot be turned off.')).toBeVisible();
  await expect(official.getByRole('button', { name: 'Turn off two-step sign-in' })).toHaveCount(0);

  // The phone is lost: the admin resets it, which signs the official out everywhere.
  await page.reload();
  const row = page.getByRole('row', { name: new RegExp(name) });
  await row.getByRole('button', { name: `Reset two-step sign-in ${name}` }).click();
  await expect(page.getByRole('heading', { name: 'Administration', level: 1 })).toBeVisible();
  await official.goto('/me');
  await expect(official).toHaveURL(/\/sign-in\?next=\/me/);
  await passwordStep(official, mobile);
  await expect(official.getByRole('heading', { name: 'Set up two-step sign-in', level: 1 })).toBeVisible();
  await phone.close();
});
