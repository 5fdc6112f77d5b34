import { expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const PASSWORD = 'mango river kite lamp';
export const DEMO = { cityAdmin: '9000000001', bmcAdmin: '9000000002', official: '9000000003', citizen: '9000000004' };

/** A mobile number no other test uses. */
export function freshMobile(): string {
  return '7' + String(Math.floor(Math.random() * 1e9)).padStart(9, '0');
}

/** Waits until the islands on the page have woken, so forms are handled without a reload. */
export async function hydrated(page: Page) {
  await page.locator('form[data-hydrated="true"]').first().waitFor({ state: 'attached' });
}

/** Reads the newest one-time code sent to `mobile` from the development inbox (of the messages
 * that also hold `about`, when given: a reset code, not the registration code before it). */
export async function readCode(page: Page, mobile: string, about = ''): Promise<string> {
  const inbox = await page.context().newPage();
  let code = '';
  await expect(async () => {
    await inbox.goto('/dev/messages');
    const body = await inbox.locator('li', { hasText: mobile }).filter({ hasText: about }).first().locator('.message-body').textContent({ timeout: 1000 });
    code = (body || '').match(/\d{6}/)?.[0] || '';
    expect(code).toHaveLength(6);
  }).toPass({ timeout: 15_000 });
  await inbox.close();
  return code;
}

export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
}

/** Nothing wider than the screen: no sideways scrolling on a 360 px phone. */
export async function expectNoSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

export async function signIn(page: Page, login: string) {
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Citizen id or mobile number').fill(login);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).last().click();
  await page.waitForURL('**/me');
}

/** Registers a new citizen through the real pages (code read from the development inbox). */
export async function register(page: Page, mobile: string, name = 'Mamata Behera', email = '') {
  await page.goto('/register');
  await hydrated(page);
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('Mobile number').fill(mobile);
  if (email) await page.getByLabel('Email (optional)').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Send me a code' }).click();
  await expect(page.getByText(/We sent a 6-digit code/)).toBeVisible();
  await page.getByLabel('Code from the SMS').fill(await readCode(page, mobile));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByTestId('citizen-id')).toBeVisible();
}
