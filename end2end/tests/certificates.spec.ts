import { test, expect, Page } from '@playwright/test';
import { inflateSync, deflateSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { DEMO, expectAccessible, expectNoSidewaysScroll, freshMobile, hydrated, register, signIn } from './helpers';

// A small real PDF and PNG, as a phone's scan would be.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
function base45Decode(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i += 3) {
    const c = s.slice(i, i + 3).split('').map((ch) => B45.indexOf(ch));
    const n = c.reduce((acc, v, k) => acc + v * 45 ** k, 0);
    if (c.length === 3) out.push(n >> 8, n & 255); else out.push(n);
  }
  return Buffer.from(out);
}
function base45Encode(b: Buffer): string {
  let s = '';
  for (let i = 0; i < b.length; i += 2) {
    let n = i + 1 < b.length ? b[i] * 256 + b[i + 1] : b[i];
    const digits = i + 1 < b.length ? 3 : 2;
    for (let d = 0; d < digits; d++) { s += B45[n % 45]; n = Math.floor(n / 45); }
  }
  return s;
}
/** The code with the last byte of its signature changed: still a well-formed code, no longer
 * the city's signature. */
function tamper(code: string): string {
  const cose = inflateSync(base45Decode(code.slice(4)));
  cose[cose.length - 1] ^= 0x01;
  return 'NC1:' + base45Encode(deflateSync(cose));
}

async function addToLocker(page: Page, kind: string, title: string, file: { name: string; mimeType: string; buffer: Buffer }) {
  await page.goto('/locker');
  await hydrated(page);
  await page.getByLabel('What it is').selectOption({ label: kind });
  await page.getByLabel(/Your name for it/).fill(title);
  await page.getByLabel('The file').setInputFiles(file);
  await page.getByRole('button', { name: 'Add a document' }).click();
  await expect(page.getByText(title)).toBeVisible();
}

async function step(page: Page, button: string, note?: string) {
  await hydrated(page);
  const form = page.locator('form', { has: page.getByRole('button', { name: button }) });
  if (note !== undefined) await form.getByRole('textbox').fill(note);
  await form.getByRole('button', { name: button }).click();
}

test('a trade licence with two locker documents is applied for, worked, issued, downloaded and verified', async ({ browser }) => {
  const phone = { viewport: { width: 360, height: 740 } };
  const citizen = await (await browser.newContext(phone)).newPage();
  await register(citizen, freshMobile(), 'Ipsita Mahapatra');

  // The locker: a disguised file is refused at its field, and nothing chosen is lost.
  await citizen.goto('/locker');
  await hydrated(citizen);
  await expectAccessible(citizen);
  await expectNoSidewaysScroll(citizen);
  await citizen.getByLabel('What it is').selectOption({ label: 'FSSAI food registration' });
  await citizen.getByLabel(/Your name for it/).fill('FSSAI 2026');
  await citizen.getByLabel('The file').setInputFiles({ name: 'fssai.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ this is a program, not a PDF') });
  await citizen.getByRole('button', { name: 'Add a document' }).click();
  await expect(citizen.locator('#file-error')).toHaveText('This file is not a PDF, JPEG or PNG (whatever its name says).');
  await expect(citizen.getByLabel(/Your name for it/)).toHaveValue('FSSAI 2026');
  await addToLocker(citizen, 'FSSAI food registration', 'FSSAI 2026', { name: 'fssai.pdf', mimeType: 'application/pdf', buffer: PDF });
  await addToLocker(citizen, "Owner's consent letter", 'Landlord letter', { name: 'consent.png', mimeType: 'image/png', buffer: PNG });
  await expectAccessible(citizen);

  // The form: the two documents attached from the locker; a draft kept through going offline.
  await citizen.goto('/services/trade-licence-new/apply');
  await hydrated(citizen);
  const business = 'Mahapatra Tiffin ' + Math.floor(Math.random() * 1e6);
  await citizen.getByLabel('Name of the business').fill(business);
  await citizen.getByLabel('Eatery or tiffin stall').check();
  await citizen.getByLabel(/Shop's floor area/).fill('18');
  await citizen.getByLabel(/Food safety \(FSSAI\) registration/).selectOption({ index: 1 });
  await citizen.getByRole('group', { name: /Is the shop rented/ }).getByLabel('Yes').check();
  await citizen.getByLabel(/Owner's consent letter/).selectOption({ index: 1 });
  await expect(citizen.locator('[data-kept]')).toHaveText('Kept');
  await citizen.context().setOffline(true);
  await citizen.getByLabel("Shop's address").fill('Shop 3, Unit 4 Market, Bhubaneswar');
  await expect(citizen.locator('#device-draft')).toBeVisible();
  await citizen.context().setOffline(false);
  await expect(citizen.locator('#device-draft')).toBeHidden();
  await citizen.reload();
  await hydrated(citizen);
  await expect(citizen.getByLabel("Shop's address")).toHaveValue('Shop 3, Unit 4 Market, Bhubaneswar');
  await citizen.getByRole('button', { name: 'Continue' }).click();
  await expect(citizen.getByRole('heading', { name: 'Check your answers before you apply' })).toBeVisible();
  await hydrated(citizen);
  await citizen.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(citizen.getByRole('heading', { name: 'Application received' })).toBeVisible();
  const number = (await citizen.getByTestId('application-number').textContent())!.trim();

  // The registrar opens both documents, asks for more; the citizen answers; the registrar approves.
  const official = await (await browser.newContext(phone)).newPage();
  await signIn(official, DEMO.official);
  await official.goto(`/applications/${number}`);
  await expect(official.getByText(business)).toBeVisible();
  await expect(official.getByRole('link', { name: /Open/ })).toHaveCount(2);
  await step(official, 'Ask the applicant for more', 'Send a photo of the shop front');
  await expect(official.getByTestId('application-status')).toHaveText('Waiting for the applicant');
  await citizen.goto(`/applications/${number}`);
  await step(citizen, 'Send my answer', 'The photo is attached to the FSSAI file; the shop front faces Janpath.');
  await expect(citizen.getByTestId('application-status')).toHaveText('Submitted');
  await official.reload();
  await step(official, 'Mark as verified');
  await step(official, 'Approve');
  await expect(official.getByTestId('application-status')).toHaveText('Approved');

  // The citizen sees the licence, downloads it, and finds a copy in the locker.
  await citizen.reload();
  const certificate = citizen.getByTestId('certificate');
  await expect(certificate).toContainText('Trade licence');
  await expect(certificate).toContainText(business);
  await expect(certificate).toContainText('Valid until');
  await expectAccessible(citizen);
  await expectNoSidewaysScroll(citizen);
  const [download] = await Promise.all([citizen.waitForEvent('download'), citizen.getByTestId('certificate-pdf').click()]);
  const pdf = readFileSync((await download.path())!);
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  await citizen.goto('/locker');
  await expect(citizen.getByText(number)).toBeVisible();

  // /verify: the QR's link checks; a tampered copy is refused; in Odia too.
  await citizen.goto(`/applications/${number}`);
  const link = (await citizen.getByTestId('verify-link').getAttribute('href'))!;
  expect(link).toContain('/verify#NC1:');
  const code = decodeURIComponent(link.split('#')[1]);
  const checker = await (await browser.newContext(phone)).newPage();
  await checker.goto(link);
  await expect(checker.getByTestId('verdict')).toHaveAttribute('data-verdict', 'valid');
  await expect(checker.getByTestId('verdict')).toContainText(business);
  await expect(checker.getByTestId('verdict')).toContainText('Ipsita Mahapatra');
  await expectAccessible(checker);
  await expectNoSidewaysScroll(checker);
  await checker.goto('/verify');
  await checker.getByLabel('Code or link').fill(tamper(code));
  await checker.getByRole('button', { name: 'Check' }).click();
  await expect(checker.getByTestId('verdict')).toHaveAttribute('data-verdict', 'tampered');
  await expect(checker.getByTestId('verdict')).toContainText('Not genuine');
  await checker.context().addCookies([{ name: 'nagarik_lang', value: 'or', url: new URL(checker.url()).origin }]);
  await checker.goto(link);
  await expect(checker.getByTestId('verdict')).toContainText('ବୈଧ');
  await expectAccessible(checker);

  // The locker, the certificate and the check read in Odia and Hindi, accessible at 360 px.
  const origin = new URL(citizen.url()).origin;
  for (const lang of ['or', 'hi']) {
    await citizen.context().addCookies([{ name: 'nagarik_lang', value: lang, url: origin }]);
    for (const path of ['/locker', `/applications/${number}`, '/verify']) {
      await citizen.goto(path);
      await expectAccessible(citizen);
      await expectNoSidewaysScroll(citizen);
    }
  }
  await citizen.context().addCookies([{ name: 'nagarik_lang', value: 'en', url: origin }]);
});

test('the installed app checks a certificate offline with the keys it keeps', async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
  // a certificate to check: the registrar approves a birth application of a new citizen
  await register(page, freshMobile(), 'Rashmi Senapati');
  await page.goto('/services/birth-certificate/apply');
  await hydrated(page);
  await page.getByLabel("Child's name").fill('Ananya Senapati');
  await page.getByLabel('Date of birth').fill('2026-08-21');
  await page.getByLabel('At home').check();
  await page.getByLabel("Mother's name").fill('Rashmi Senapati');
  await page.getByLabel('Address').fill('Plot 9, Chandrasekharpur, Bhubaneswar');
  await page.getByRole('button', { name: 'Continue' }).click();
  await hydrated(page);
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  const number = (await page.getByTestId('application-number').textContent())!.trim();
  const official = await (await browser.newContext()).newPage();
  await signIn(official, DEMO.official);
  await official.goto(`/applications/${number}`);
  await step(official, 'Mark as verified');
  await step(official, 'Approve');
  await expect(official.getByTestId('application-status')).toHaveText('Approved');

  await page.goto(`/applications/${number}`);
  const link = (await page.getByTestId('verify-link').getAttribute('href'))!;
  const code = decodeURIComponent(link.split('#')[1]);
  // the service worker keeps the page, the keys and the revoked numbers
  await page.goto('/verify');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.evaluate(() => fetch('/.well-known/jwks.json').then(() => fetch('/api/v1/certificates/revoked')));

  await page.context().setOffline(true);
  await page.goto(link);
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-verdict', 'valid');
  await expect(verdict).toContainText('Ananya Senapati');
  await expect(verdict).toContainText('Checked on this phone');
  await page.goto('/verify');
  await page.getByLabel('Code or link').fill(tamper(code));
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'tampered');
  await page.context().setOffline(false);
});
