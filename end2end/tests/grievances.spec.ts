import { test, expect } from '@playwright/test';
import * as path from 'path';
import { DEMO, expectAccessible, expectNoSidewaysScroll, hydrated, readCode, signIn } from './helpers';

test('a citizen files with a ward, the official resolves it, the citizen rates it, reopens another', async ({ browser }) => {
  const citizen = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
  await signIn(citizen, DEMO.citizen);
  await citizen.getByRole('link', { name: 'Complain' }).click();
  await expect(citizen.getByRole('heading', { name: 'File a grievance', level: 1 })).toBeVisible();
  await hydrated(citizen);
  await expectAccessible(citizen);
  await expectNoSidewaysScroll(citizen);

  // nothing chosen, too short: each problem at its field, the typed text kept
  await citizen.getByLabel('What is wrong?').fill('dark');
  await citizen.getByRole('button', { name: 'File the grievance' }).click();
  await expect(citizen.locator('#category-error')).toHaveText(/Choose what the grievance is about/);
  await expect(citizen.locator('#description-error')).toHaveText(/at least 10 characters/);
  await expect(citizen.locator('#ward-error')).toHaveText(/Say where/);
  await expect(citizen.getByLabel('What is wrong?')).toHaveValue('dark');
  await expect(citizen.getByLabel('What is it about?')).toBeFocused();

  const text = `Streetlight dark for a week outside house ${Date.now()}`;
  await citizen.getByLabel('What is it about?').selectOption({ label: 'Streetlight not working — Bhubaneswar Municipal Corporation' });
  await citizen.getByLabel('What is wrong?').fill(text);
  await citizen.getByLabel('Ward', { exact: true }).selectOption('12');
  await citizen.getByLabel('Landmark (optional)').fill('Opposite the Hanuman temple');
  await citizen.getByLabel('Photos (optional, up to 3)').setInputFiles(path.join(__dirname, '..', 'fixtures', 'pothole.png'));
  await citizen.getByRole('button', { name: 'File the grievance' }).click();
  await citizen.waitForURL(/\/grievances\/GR-/);
  const number = decodeURIComponent(citizen.url().split('/').pop()!);
  await expect(citizen.getByRole('heading', { name: `Grievance ${number}` })).toBeVisible();
  await expect(citizen.getByTestId('grievance-status')).toHaveText('Assigned');
  await expect(citizen.getByTestId('deadline')).toContainText('level 1');
  await expect(citizen.getByTestId('timeline')).toContainText('Filed');
  // the photo is there, as an image the browser could decode
  const photo = citizen.getByRole('img', { name: 'Photo 1 filed with the grievance' });
  await expect(photo).toBeVisible();
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320);
  await expectAccessible(citizen);

  // the official finds it in the queue and resolves it
  const official = await (await browser.newContext()).newPage();
  await signIn(official, DEMO.official);
  await official.getByRole('link', { name: 'Work queue' }).first().click();
  await expect(official.getByRole('heading', { name: 'Work queue', level: 1 })).toBeVisible();
  await expect(official.getByTestId('queue-count')).toHaveText(/^Showing 1–\d+ of \d+$/);
  await expectAccessible(official);
  // the ward filter stays in the address, and the new grievance is in ward 12's queue
  await official.getByLabel('Ward', { exact: true }).selectOption('12');
  await official.getByRole('button', { name: 'Show' }).click();
  await expect(official).toHaveURL(/\/work\?.*ward=12/);
  await expect(official.getByLabel('Ward', { exact: true })).toHaveValue('12');
  await official.getByRole('link', { name: number }).click();
  await hydrated(official);
  // the official sees that the citizen was told, by SMS through the gateway
  await expect(official.getByTestId('messages')).toContainText('SMS');
  await expectAccessible(official);
  // each step opens on its own, one at a time, beside the facts on a wide screen
  const acknowledge = official.getByRole('button', { name: 'Acknowledge — I am on it' });
  await expect(acknowledge).toBeHidden();
  await official.getByText('Acknowledge', { exact: true }).click();
  await official.getByText('Resolve', { exact: true }).click();
  await expect(acknowledge).toBeHidden();
  await expect(official.getByLabel('What was done')).toBeVisible();
  await official.getByText('Acknowledge', { exact: true }).click();
  await expect(official.getByLabel('What was done')).toBeHidden();
  await expectAccessible(official);
  // on a phone the actions come before the timeline; on a wide screen they stand beside it
  const timelineBox = async () => (await official.getByTestId('timeline').boundingBox())!;
  const actionsBox = async () => (await official.getByRole('heading', { name: 'Work on it' }).boundingBox())!;
  expect((await actionsBox()).y).toBeLessThan((await timelineBox()).y);
  const phone = official.viewportSize()!;
  await official.setViewportSize({ width: 1280, height: 900 });
  expect((await actionsBox()).x).toBeGreaterThanOrEqual((await timelineBox()).x + (await timelineBox()).width);
  await expectAccessible(official);
  await official.setViewportSize(phone);
  await acknowledge.click();
  await expect(official.getByTestId('grievance-status')).toHaveText('In progress');
  await hydrated(official);
  await official.getByText('Resolve', { exact: true }).click();
  await official.getByRole('button', { name: 'Mark resolved' }).click();
  await expect(official.locator('#step-resolved-note-error')).toHaveText(/Write a few words/);
  await expect(official.getByLabel('What was done')).toBeFocused();
  await official.getByLabel('What was done').fill('Bulb and choke replaced');
  await official.getByLabel('Photo of the work done (optional)').setInputFiles(path.join(__dirname, '..', 'fixtures', 'pothole.png'));
  await official.getByRole('button', { name: 'Mark resolved' }).click();
  await expect(official.getByTestId('grievance-status')).toHaveText('Resolved');

  // the citizen sees every step and rates the resolution
  await citizen.reload();
  await hydrated(citizen);
  await expect(citizen.getByTestId('grievance-status')).toHaveText('Resolved');
  const timeline = citizen.getByTestId('timeline');
  await expect(timeline).toContainText('Acknowledged');
  await expect(timeline).toContainText('Bulb and choke replaced');
  // lazily loaded further down the page: it loads once scrolled to
  const after = citizen.getByRole('img', { name: 'Photo 1 with this step' });
  await after.scrollIntoViewIfNeeded();
  await expect(after).toBeVisible();
  await expect.poll(() => after.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320);
  await citizen.getByLabel('4 of 5').check();
  await citizen.getByLabel('Comment (optional)').fill('Fixed in two days');
  await citizen.getByRole('button', { name: 'Rate and close' }).click();
  await expect(citizen.getByTestId('grievance-status')).toHaveText('Closed — fixed');
  await expect(citizen.getByTestId('rating')).toContainText('4 of 5');
  await expectAccessible(citizen);

  // a second one, resolved, is reopened by the citizen: the clock starts again
  await citizen.goto('/grievances/new');
  await hydrated(citizen);
  await citizen.getByLabel('What is it about?').selectOption({ label: 'Pothole or damaged road — Bhubaneswar Municipal Corporation' });
  await citizen.getByLabel('What is wrong?').fill('Deep pothole at the bus stop, bikes falling');
  await citizen.getByLabel('Address (optional)').fill('Janpath, near Ram Mandir bus stop');
  await citizen.getByRole('button', { name: 'File the grievance' }).click();
  await citizen.waitForURL(/\/grievances\/GR-/);
  const second = decodeURIComponent(citizen.url().split('/').pop()!);
  await official.goto(`/grievances/${second}`);
  await hydrated(official);
  await official.getByText('Resolve', { exact: true }).click();
  await official.getByLabel('What was done').fill('Patched');
  await official.getByRole('button', { name: 'Mark resolved' }).click();
  await expect(official.getByTestId('grievance-status')).toHaveText('Resolved');
  await citizen.reload();
  await hydrated(citizen);
  await citizen.getByLabel('What is still wrong?').fill('The patch washed away in the rain');
  await citizen.getByRole('button', { name: 'Reopen — it is not fixed' }).click();
  await expect(citizen.getByTestId('grievance-status')).toHaveText('Reopened');
  await expect(citizen.getByTestId('timeline')).toContainText('The patch washed away');
  await expect(citizen.getByTestId('deadline')).toBeVisible();

  // and both are on the citizen's list
  await citizen.getByRole('link', { name: 'My grievances' }).first().click();
  await expect(citizen.getByRole('link', { name: number })).toBeVisible();
  await expect(citizen.getByRole('link', { name: second })).toBeVisible();
  await expectAccessible(citizen);
});

test('a citizen cannot open another citizen\'s grievance, nor an official of another department', async ({ page }) => {
  await signIn(page, DEMO.citizen);
  await page.goto('/grievances/new');
  await hydrated(page);
  await page.getByLabel('What is it about?').selectOption({ label: 'Stray dogs — Bhubaneswar Municipal Corporation' });
  await page.getByLabel('What is wrong?').fill('A pack of dogs chasing children near the school');
  await page.getByLabel('Ward', { exact: true }).selectOption('5');
  await page.getByRole('button', { name: 'File the grievance' }).click();
  await page.waitForURL(/\/grievances\/GR-/);
  const url = page.url();
  await page.context().clearCookies();
  await signIn(page, '9000000005'); // a WATCO official
  const res = await page.goto(url);
  expect(res?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
});

test('a call-centre agent files for a caller, who is told the number', async ({ page }) => {
  await signIn(page, DEMO.official);
  await page.goto('/work');
  await page.getByRole('link', { name: 'File for a caller' }).click();
  await expect(page.getByRole('heading', { name: 'File for a caller', level: 1 })).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);
  await page.getByLabel('What is it about?').selectOption({ label: 'No water supply — Water Corporation of Odisha' });
  await page.getByLabel('What is wrong?').fill('No water in the whole lane since morning');
  await page.getByLabel('Ward', { exact: true }).selectOption('21');
  await page.getByRole('button', { name: 'File the grievance' }).click();
  await expect(page.locator('#contact_mobile-error')).toHaveText(/mobile/i);
  await expect(page.getByLabel('What is wrong?')).toHaveValue('No water in the whole lane since morning');
  await page.getByLabel("Caller's name").fill('Kamala Sethi');
  const mobile = '94' + String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
  await page.getByLabel('Mobile number').fill(mobile);
  await page.getByRole('button', { name: 'File the grievance' }).click();
  await expect(page.getByText('Filed. Read the number out to the caller:')).toBeVisible();
  const number = (await page.getByTestId('grievance-number').textContent()) || '';
  expect(number).toMatch(/^GR-\d{2}-\d{7}-\d$/);
  // the caller's SMS carries the number (once the outbox worker has delivered it)
  await expect(async () => {
    await page.goto('/dev/messages');
    await expect(page.locator('li', { hasText: mobile }).first()).toContainText(number, { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
});

test('a kiosk files without an account once the code from the SMS is entered', async ({ page }) => {
  await page.goto('/kiosk');
  await expect(page.getByRole('heading', { name: 'Complaint kiosk', level: 1 })).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);
  await page.getByLabel('What is it about?').selectOption({ label: 'Stray dogs — Bhubaneswar Municipal Corporation' });
  await page.getByLabel('What is wrong?').fill('Dogs chasing children at the park gate every evening');
  await page.getByLabel('Ward', { exact: true }).selectOption('30');
  const mobile = '88' + String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
  await page.getByLabel('Mobile number').fill(mobile);
  await page.getByRole('button', { name: 'Send me a code' }).click();
  await expect(page.getByText('We sent a code to')).toBeVisible();
  const code = await readCode(page, mobile);
  await page.getByLabel('Code from the SMS').fill(code);
  await page.getByRole('button', { name: 'Confirm and file' }).click();
  await expect(page.getByText('Your grievance is filed.')).toBeVisible();
  await expect(page.getByTestId('grievance-number')).toHaveText(/^GR-\d{2}-\d{7}-\d$/);
  await expectAccessible(page);
});

test('a grievance filed offline is kept, shown as waiting, and arrives exactly once', async ({ page, context }) => {
  // The service worker's outbox lives in IndexedDB, which the origin's pages share: read it,
  // and copy it to and from a database of the test's own (bodies are Blobs; they stay in the page).
  await page.addInitScript(() => {
    const db = (name: string) => new Promise<IDBDatabase>((done, fail) => {
      const open = indexedDB.open(name, 1);
      open.onupgradeneeded = () => open.result.createObjectStore('outbox', { keyPath: 'key' });
      open.onsuccess = () => done(open.result);
      open.onerror = () => fail(open.error);
    });
    const all = async (name: string) => {
      const d = await db(name);
      return new Promise<any[]>((done, fail) => {
        const get = d.transaction('outbox').objectStore('outbox').getAll();
        get.onsuccess = () => done(get.result || []);
        get.onerror = () => fail(get.error);
      });
    };
    (window as any).outboxItems = () => all('nagarik');
    (window as any).copyOutbox = async (from: string, to: string) => {
      const items = await all(from);
      const d = await db(to);
      await new Promise<void>((done, fail) => {
        const tx = d.transaction('outbox', 'readwrite');
        items.forEach((item) => tx.objectStore('outbox').put(item));
        tx.oncomplete = () => done();
        tx.onerror = () => fail(tx.error);
      });
      return items.length;
    };
  });
  await signIn(page, DEMO.citizen);
  // one visit each while online, as the phone would have done before
  await page.goto('/grievances');
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  await page.goto('/grievances/new');
  await hydrated(page);

  await context.setOffline(true);
  await page.goto('/grievances/new');
  await hydrated(page);
  const text = `Open manhole outside the school, filed offline ${Date.now()}`;
  await page.getByLabel('What is it about?').selectOption({ label: 'Drain blocked or overflowing — Bhubaneswar Municipal Corporation' });
  await page.getByLabel('What is wrong?').fill(text);
  await page.getByLabel('Ward', { exact: true }).selectOption('8');
  await page.getByRole('button', { name: 'File the grievance' }).click();
  await expect(page.getByText('You are offline. Your grievance is kept on this phone')).toBeVisible();
  await expect(page.getByLabel('What is wrong?')).toHaveValue('');

  // closed and opened again, still offline: it waits on the phone
  await page.goto('/grievances');
  await expect(page.getByTestId('pending-list')).toContainText(text);
  await expectAccessible(page);

  // what the phone keeps, as it is: sent again below, as a retry after a lost answer would be
  expect(await page.evaluate(() => (window as any).copyOutbox('nagarik', 'e2e-copy'))).toBe(1);

  // back online: it is sent by itself, once
  await context.setOffline(false);
  await expect(page.getByTestId('pending-list')).toBeHidden({ timeout: 20_000 });
  await expect(page.getByText(text)).toHaveCount(1, { timeout: 20_000 });
  await page.reload();
  await expect(page.getByText(text)).toHaveCount(1);

  // The same filing sent again (its answer lost on the way back): the server lands it once.
  expect(await page.evaluate(() => (window as any).copyOutbox('e2e-copy', 'nagarik'))).toBe(1);
  expect(await page.evaluate(() => (window as any).outboxItems())).toHaveLength(1);
  // The page reloads itself when the worker reports the filing sent: the mark set here is gone
  // once it has, and a read that the reload interrupts is simply tried again.
  await page.evaluate(() => { (window as any).beforeFlush = true; });
  await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active && r.active.postMessage('flush')));
  const reloadedAndEmpty = async () => {
    try {
      return await page.evaluate(async () => !(window as any).beforeFlush
        && (await (window as any).outboxItems()).length === 0);
    } catch {
      return false;
    }
  };
  await expect.poll(reloadedAndEmpty, { timeout: 20_000 }).toBe(true);
  await page.waitForLoadState();
  await expect(page.getByText(text)).toHaveCount(1);

  // Signed out, the phone no longer shows their grievances, offline or not: a shared phone
  // keeps nothing of the person who used it.
  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await page.waitForURL((u) => u.pathname === '/');
  await expect.poll(() => page.evaluate(() => caches.has('nagarik-personal'))).toBe(false);
  await context.setOffline(true);
  await page.goto('/grievances');
  await expect(page.getByRole('heading', { name: 'You are offline' })).toBeVisible();
  await expect(page.getByText(text)).toHaveCount(0);
  await context.setOffline(false);
});

test('a department admin gives a grievance from the department queue to another official', async ({ browser }) => {
  const citizen = await (await browser.newContext()).newPage();
  await signIn(citizen, DEMO.citizen);
  await citizen.goto('/grievances/new');
  await hydrated(citizen);
  const text = `Road caved in beside the vegetable market ${Date.now()}`;
  await citizen.getByLabel('What is it about?').selectOption({ label: 'Pothole or damaged road — Bhubaneswar Municipal Corporation' });
  await citizen.getByLabel('What is wrong?').fill(text);
  await citizen.getByLabel('Ward', { exact: true }).selectOption('12');
  await citizen.getByRole('button', { name: 'File the grievance' }).click();
  await citizen.waitForURL(/\/grievances\/GR-/);
  const number = new URL(citizen.url()).pathname.split('/').pop()!;

  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, DEMO.bmcAdmin);
  await admin.goto('/work?scope=department');
  await hydrated(admin);
  await expectAccessible(admin);
  await admin.getByRole('checkbox', { name: `Select ${number}` }).check();
  // nobody is chosen yet: the button alone moves nothing, and says why at the field
  await admin.getByRole('button', { name: 'Reassign' }).click();
  await expect(admin.locator('#to-error')).toHaveText("Choose one of this department's staff.");
  await expect(admin.getByRole('checkbox', { name: `Select ${number}` })).toBeChecked();
  await admin.getByLabel('Give the selected to').selectOption({ label: 'Farida Begum' });
  await admin.getByRole('button', { name: 'Reassign' }).click();
  await expect(admin).toHaveURL(/\/work\?scope=department/);
  const card = admin.locator('li.work-item', { hasText: number });
  await expect(card).toContainText('Farida Begum');
  await admin.goto(`/grievances/${number}`);
  await expect(admin.getByTestId('timeline')).toContainText('Reassigned');
});
