import { test, expect } from '@playwright/test';
import * as fs from 'fs';
import { expectAccessible, expectNoSidewaysScroll, freshMobile, hydrated, readCode, register, PASSWORD } from './helpers';

test('a citizen registers, confirms the code, gets a citizen id, finds a service and signs out', async ({ page }) => {
  const mobile = freshMobile();
  await page.goto('/register');
  await hydrated(page);
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);
  await page.getByLabel('Full name').fill('Sita Pradhan');
  await page.getByLabel('Mobile number').fill(mobile);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Send me a code' }).click();

  await expect(page.getByText(/We sent a 6-digit code/)).toBeVisible();
  const code = await readCode(page, mobile);
  await page.getByLabel('Code from the SMS').fill(code);
  await page.getByRole('button', { name: 'Confirm' }).click();

  const id = page.getByTestId('citizen-id');
  await expect(id).toHaveText(/^\d{4} \d{4} \d{4}$/);
  const citizenId = (await id.textContent())!;
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Go to my account' }).click();
  await expect(page.getByTestId('citizen-id')).toHaveText(citizenId);
  await expect(page.getByText('This device', { exact: true })).toBeVisible();
  await expectAccessible(page);

  // A new password: the old one is checked first.
  await hydrated(page);
  await page.getByLabel('Current password').fill('not my password at all');
  await page.getByLabel('New password').fill('river mango lamp kite boat');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#current_password-error')).toHaveText(/not your current password/);
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Password changed. Your other devices are signed out.')).toBeVisible();

  await page.getByRole('link', { name: 'Services' }).click();
  await page.getByRole('searchbox').fill('water bill');
  await page.getByRole('searchbox').press('Enter');
  await expect(page).toHaveTitle(/water bill/);
  await page.getByRole('link', { name: 'Water bill payment' }).first().click();
  await expect(page).toHaveTitle('Water bill payment · Nagarik');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Water bill payment');
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await page.goto('/me');
  await expect(page).toHaveURL(/\/sign-in\?next=\/me/);
});

test('bad input is named at its field and nothing typed is lost', async ({ page }) => {
  await page.goto('/register');
  await hydrated(page);
  await page.getByLabel('Full name').fill('Rakesh Behera');
  await page.getByLabel('Mobile number').fill('12345');
  await page.getByLabel('Email (optional)').fill('rakesh@example.in');
  await page.getByLabel('Password').fill('password1234');
  await page.getByRole('button', { name: 'Send me a code' }).click();

  await expect(page.locator('#mobile-error')).toHaveText(/10-digit Indian mobile number/);
  await expect(page.locator('#password-error')).toHaveText(/too easy to guess/);
  await expect(page.getByLabel('Mobile number')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Full name')).toHaveValue('Rakesh Behera');
  await expect(page.getByLabel('Email (optional)')).toHaveValue('rakesh@example.in');
  await expectAccessible(page);

  const mobile = freshMobile();
  await page.getByLabel('Mobile number').fill(mobile);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Send me a code' }).click();
  const code = await readCode(page, mobile);
  const wrong = code === '000000' ? '111111' : '000000';
  await page.getByLabel('Code from the SMS').fill(wrong);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.locator('#code-error')).toHaveText(/not right/);
  await expect(page.getByLabel('Code from the SMS')).toHaveValue(wrong);
  await page.getByLabel('Code from the SMS').fill(code);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByTestId('citizen-id')).toBeVisible();
});

test('signing in with a mistyped citizen id says so at the field', async ({ page }) => {
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Citizen id or mobile number').fill('2345 6789 0123');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).last().click();
  await expect(page.locator('#login-error')).toHaveText(/one digit is probably mistyped/);
  await expect(page.getByLabel('Citizen id or mobile number')).toHaveValue('2345 6789 0123');
  await expectAccessible(page);
});

test('a citizen who forgot the password resets it with a code on a phone screen', async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
  const mobile = freshMobile();
  await register(page, mobile);
  await page.goto('/me');
  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await expect(page.getByRole('link', { name: 'Sign in' }).first()).toBeVisible();
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { name: 'Reset your password', level: 1 })).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);
  await page.getByLabel('Mobile number').fill(mobile);
  await page.getByRole('button', { name: 'Send me a code' }).click();
  await expect(page.getByText(/a code is on its way/)).toBeVisible();
  const code = await readCode(page, mobile, 'reset your password');
  // a weak password is named at its field, and the code typed stays
  await page.getByLabel('Code from the SMS').fill(code);
  await page.getByLabel('New password').fill('12345678');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await expect(page.locator('#password-error')).not.toBeEmpty();
  await expect(page.getByLabel('Code from the SMS')).toHaveValue(code);
  const fresh = 'tamarind kettle monsoon bridge';
  await page.getByLabel('New password').fill(fresh);
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await expect(page.getByText(/Your password is changed/)).toBeVisible();
  await page.getByRole('link', { name: 'Sign in' }).last().click();
  await hydrated(page);
  await page.getByLabel('Citizen id or mobile number').fill(mobile);
  await page.getByLabel('Password').fill(fresh);
  await page.getByRole('button', { name: 'Sign in' }).last().click();
  await page.waitForURL('**/me');
});

test('a citizen downloads their data, then closes the account for good', async ({ page }) => {
  const mobile = freshMobile();
  await register(page, mobile);
  await page.goto('/me');
  await hydrated(page);
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download my data' }).click();
  const saved = JSON.parse(fs.readFileSync(await (await download).path(), 'utf8'));
  expect(saved.account.mobile).toBe(mobile);
  await expect(page.getByRole('heading', { name: 'Close your account' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Your password, to confirm').fill('not my password');
  await page.getByRole('button', { name: 'Close my account for good' }).click();
  await expect(page.locator('#close-password-error')).toHaveText('That is not your current password.');
  await page.getByLabel('Your password, to confirm').fill(PASSWORD);
  await page.getByRole('button', { name: 'Close my account for good' }).click();
  await expect(page.getByText(/Your account is closed/)).toBeVisible();
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Citizen id or mobile number').fill(mobile);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).last().click();
  await expect(page.locator('#password-error')).not.toBeEmpty();
});
