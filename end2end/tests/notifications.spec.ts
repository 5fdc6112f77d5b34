import { test, expect, Page, BrowserContext } from '@playwright/test';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { expectAccessible, expectNoSidewaysScroll, freshMobile, hydrated, register } from './helpers';

// ./dev test starts the sandbox gateway (SMS and push) and an SMTP server that keeps mail here.
const SANDBOX = process.env.SANDBOX_URL || 'http://127.0.0.1:3125';
const MAILDIR = process.env.MAILDIR || `${process.env.HOME}/.cache/nagarik/mail-2625`;

/** A device's push keys (RFC 8291), kept by the test so it can read what the server sends. */
function pushKeys() {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = crypto.randomBytes(16);
  return { ecdh, auth, p256dh: ecdh.getPublicKey().toString('base64url'), authText: auth.toString('base64url') };
}

/** Decrypts an aes128gcm web push body (RFC 8188 / RFC 8291) as the browser would. */
function readPush(keys: ReturnType<typeof pushKeys>, body: Buffer) {
  const salt = body.subarray(0, 16);
  const idlen = body[20];
  const senderKey = body.subarray(21, 21 + idlen);
  const sealed = body.subarray(21 + idlen);
  const secret = keys.ecdh.computeSecret(senderKey);
  const info = Buffer.concat([Buffer.from('WebPush: info\0'), keys.ecdh.getPublicKey(), senderKey]);
  const ikm = Buffer.from(crypto.hkdfSync('sha256', secret, keys.auth, info, 32));
  const cek = Buffer.from(crypto.hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(crypto.hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = crypto.createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  const plain = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
  let end = plain.length;
  while (end > 0 && plain[end - 1] === 0) end--;
  return JSON.parse(plain.subarray(0, end - 1).toString()); // the last record ends with 0x02
}

/**
 * Headless Chromium has no connection to a browser vendor's push service, so the browser's side
 * of subscribing is played here: a PushSubscription at the sandbox push service with the test's
 * keys. Everything from the page's button onwards is the app's own.
 */
async function pushDeviceAt(context: BrowserContext, endpoint: string, keys: ReturnType<typeof pushKeys>) {
  await context.addInitScript(({ endpoint, p256dh, auth }) => {
    const w = window as any;
    if (!w.PushManager) return;
    let permission = localStorage.getItem('test-permission') || 'default';
    Object.defineProperty(w.Notification, 'permission', { get: () => permission });
    w.Notification.requestPermission = async () => {
      permission = 'granted';
      localStorage.setItem('test-permission', permission);
      return permission;
    };
    const subscription = () => {
      const s = Object.create(w.PushSubscription.prototype);
      Object.defineProperties(s, {
        endpoint: { value: endpoint },
        toJSON: { value: () => ({ endpoint, expirationTime: null, keys: { p256dh, auth } }) },
        unsubscribe: { value: async () => { localStorage.removeItem('test-subscribed'); return true; } },
      });
      return s;
    };
    w.PushManager.prototype.subscribe = async function (options: any) {
      if (!options || !options.userVisibleOnly || !options.applicationServerKey) throw new Error('bad options');
      localStorage.setItem('test-subscribed', '1');
      return subscription();
    };
    w.PushManager.prototype.getSubscription = async function () {
      return localStorage.getItem('test-subscribed') ? subscription() : null;
    };
  }, { endpoint, p256dh: keys.p256dh, auth: keys.authText });
}

async function file(page: Page, text: string): Promise<string> {
  await page.goto('/grievances/new');
  await hydrated(page);
  await page.getByLabel('What is it about?').selectOption({ label: 'Streetlight not working — Bhubaneswar Municipal Corporation' });
  await page.getByLabel('What is wrong?').fill(text);
  await page.getByLabel('Ward', { exact: true }).selectOption('7');
  await page.getByRole('button', { name: 'File the grievance' }).click();
  await page.waitForURL(/\/grievances\/GR-/);
  return decodeURIComponent(page.url().split('/').pop()!);
}

async function json(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  expect(res.ok).toBeTruthy();
  return res.status === 204 ? null : res.json();
}

test('notices reach a citizen by push, then by SMS once push is off, then by email when the phone cannot be reached', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const token = `e2e-${crypto.randomUUID()}`;
  const keys = pushKeys();
  await pushDeviceAt(context, `${SANDBOX}/push/${token}`, keys);
  const page = await context.newPage();
  const mobile = freshMobile();
  const email = `mamata.${mobile}@example.in`;
  await register(page, mobile, 'Mamata Behera', email);

  // Turn notifications on for this device, from the account page.
  await page.goto('/me');
  const toggle = page.locator('.push-toggle');
  await expect(toggle.getByRole('status')).toHaveText('Notifications are off on this device.');
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);
  await toggle.getByRole('button', { name: 'Turn on notifications' }).focus();
  await page.keyboard.press('Enter');
  await expect(toggle.getByRole('status')).toHaveText('Notifications are on for this device.');
  await page.reload();
  await expect(toggle.getByRole('status')).toHaveText('Notifications are on for this device.');
  await expectAccessible(page);

  // The acknowledgement comes by web push, which only this device's keys can read.
  const first = await file(page, `Streetlight out near the school gate ${Date.now()}`);
  let pushes: any[] = [];
  await expect.poll(async () => (pushes = await json(`${SANDBOX}/push-messages?token=${token}`)).length, { timeout: 15_000 }).toBe(1);
  const shown = readPush(keys, Buffer.from(pushes[0].body, 'base64'));
  expect(shown.body).toContain(first);
  expect(shown.url).toBe(`/grievances/${first}`);
  const sms = async () => (await json(`${SANDBOX}/sms/v1/messages?to=${mobile}`)) as any[];
  expect((await sms()).some((m) => m.text.includes(first))).toBeFalsy();

  // Push off: the next one comes by SMS.
  await page.goto('/me');
  await toggle.getByRole('button', { name: 'Turn off notifications' }).click();
  await expect(toggle.getByRole('status')).toHaveText('Notifications are off on this device.');
  const second = await file(page, `Streetlight flickering all night ${Date.now()}`);
  await expect.poll(async () => (await sms()).some((m) => m.text.includes(second)), { timeout: 15_000 }).toBeTruthy();
  expect(await json(`${SANDBOX}/push-messages?token=${token}`)).toHaveLength(1);

  // The phone cannot be reached any more: the SMS fails for good and the notice goes by email.
  await json(`${SANDBOX}/sandbox/unreachable`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ mobile }),
  });
  const third = await file(page, `Streetlight pole leaning after the storm ${Date.now()}`);
  const mails = () => {
    const dir = path.join(MAILDIR, 'new');
    return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')) : [];
  };
  await expect.poll(() => mails().filter((m) => m.includes(`To: ${email}`) && m.includes(third)).length, { timeout: 15_000 }).toBe(1);
  expect((await sms()).some((m) => m.text.includes(third))).toBeFalsy();
  await context.close();
});
