import { test, expect } from '@playwright/test';
import { expectAccessible } from './helpers';

test('the app is installable: manifest and icons', async ({ request }) => {
  const res = await request.get('/manifest.webmanifest');
  expect(res.ok()).toBeTruthy();
  const manifest = await res.json();
  expect(manifest.short_name).toBe('Nagarik');
  expect(manifest.display).toBe('standalone');
  expect(manifest.start_url).toMatch(/^\//);
  const sizes = manifest.icons.map((i: { sizes: string }) => i.sizes);
  expect(sizes).toContain('192x192');
  expect(sizes).toContain('512x512');
  for (const icon of manifest.icons) {
    expect((await request.get(icon.src)).headers()['content-type']).toBe('image/png');
  }
});

test('after one visit the app opens offline, and says it is offline', async ({ page, context }) => {
  await page.goto('/');
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  // The worker takes control of the page once it has activated.
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  await page.goto('/services/birth-certificate');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Birth certificate');

  await context.setOffline(true);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('What do you need today?');
  await expect(page.getByText('You are offline. Pages you have visited still open.')).toBeVisible();
  await page.goto('/services/birth-certificate');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Birth certificate');
  // A page never visited: the offline page, not the browser's error.
  await page.goto('/departments/bda');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You are offline');
  await expectAccessible(page);
  await context.setOffline(false);
});

test('the install prompt can be accepted or dismissed, and a dismissal is remembered', async ({ page }) => {
  await page.goto('/');
  const banner = page.getByRole('region', { name: 'Install the app' });
  await expect(banner).toBeHidden();
  // The browser offers installation: Chromium fires beforeinstallprompt with a prompt() method.
  const offer = async () => {
    await page.locator('.install-prompt[data-ready="true"]').waitFor({ state: 'attached' });
    await page.evaluate(() => {
      const ev = new Event('beforeinstallprompt', { cancelable: true }) as Event & { prompt: () => void };
      ev.prompt = () => { (window as any).__prompted = true; };
      window.dispatchEvent(ev);
    });
  };
  await offer();
  await expect(banner).toBeVisible();
  await banner.getByRole('button', { name: 'Install' }).click();
  expect(await page.evaluate(() => (window as any).__prompted)).toBe(true);
  await expect(banner).toBeHidden();

  await offer();
  await banner.getByRole('button', { name: 'Not now' }).click();
  await expect(banner).toBeHidden();
  await page.reload();
  await offer();
  await expect(banner).toBeHidden();
});

test('a page without forms loads no WASM; a page with one loads it after it has painted', async ({ page }) => {
  const wasm: string[] = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r.url()); });
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('What do you need today?');
  await page.goto('/services/birth-certificate');
  await page.waitForLoadState('networkidle');
  expect(wasm).toHaveLength(0);
  await page.goto('/sign-in');
  await page.locator('form[data-hydrated="true"]').first().waitFor();
  expect(wasm).toHaveLength(1);
});
