import { expect, Page } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';

export const PASSWORD = 'mango river kite lamp';
export const DEMO = { cityAdmin: '9000000001', bmcAdmin: '9000000002', official: '9000000003', citizen: '9000000004' };
/** The demo staff's published two-step key (server/src/seed/mod.rs, DEMO_TOTP_KEY). */
export const DEMO_TOTP_KEY = 'NAGA RIKD EMOS TAFF SECO NDST EP23 4567';

function base32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/\s|=/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The code an authenticator app shows for `key` (RFC 6238: HMAC-SHA1, six digits, 30 s) at
 * `step` steps from now. Written here from the RFC, so the server's code is checked against it. */
export function totp(key: string, step = 0): string {
  return totpAt(key, Math.floor(Date.now() / 30_000) + step);
}

/** The code for one absolute 30-second step. */
function totpAt(key: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32(key)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}

/** Runs `f` while holding a lock shared by every Playwright worker (a file created exclusively). */
async function withLock<T>(name: string, f: () => Promise<T>): Promise<T> {
  const path = join(tmpdir(), `nagarik-e2e-${name}.lock`);
  for (;;) {
    try {
      closeSync(openSync(path, 'wx'));
      break;
    } catch {
      // A lock left by a run that was killed (no sign-in holds one for 90 s) is taken over.
      try {
        if (Date.now() - statSync(path).mtimeMs > 90_000) rmSync(path, { force: true });
      } catch { /* gone meanwhile */ }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await f();
  } finally {
    rmSync(path, { force: true });
  }
}

/** The second step of a sign-in, as the person types it from their app. The server accepts each
 * 30-second step once per account, and the workers sign the same demo staff in at once: they
 * take turns (a lock per account) and each takes the next step no one has used (the server
 * accepts the one after the current), waiting for it when both are spent. */
export async function secondStep(page: Page, key: string, login: string) {
  await hydrated(page);
  const record = join(tmpdir(), `nagarik-e2e-${login}.step`);
  await withLock(login, async () => {
    const last = existsSync(record) ? Number(readFileSync(record, 'utf8')) : 0;
    const now = Math.floor(Date.now() / 30_000);
    const step = Math.max(now, last + 1);
    if (step > now + 1) await page.waitForTimeout((step - 1) * 30_000 - Date.now() + 200);
    // Spent once sent, whatever the answer.
    writeFileSync(record, String(step));
    await page.getByLabel('Code from your app, or a recovery code').fill(totpAt(key, step));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  });
}

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
  // (what sticks out, named, when something does)
  const wide = overflow > 0 ? await page.evaluate(() => Array.from(document.querySelectorAll('body *'))
    .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
    .slice(-5).map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)) : [];
  expect(overflow, wide.join('; ')).toBeLessThanOrEqual(0);
}

export async function signIn(page: Page, login: string) {
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Citizen id or mobile number').fill(login);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).last().click();
  await page.waitForURL(/\/(me|sign-in\/second-step)/);
  if (page.url().includes('/sign-in/second-step')) {
    await secondStep(page, DEMO_TOTP_KEY, login);
    await page.waitForURL('**/me');
  }
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
