import { test, expect } from '@playwright/test';
import { expectAccessible, expectNoSidewaysScroll } from './helpers';

test('the language switch changes every page and persists', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('What do you need today?');
  await page.getByRole('button', { name: 'ଓଡ଼ିଆ' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('ଆଜି ଆପଣଙ୍କୁ କଣ ଦରକାର?');
  await expect(page.locator('html')).toHaveAttribute('lang', 'or');
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);

  // Another page, and after a reload: still Odia, catalogue content included.
  await page.goto('/services/birth-certificate');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('ଜନ୍ମ ପ୍ରମାଣପତ୍ର');
  await page.reload();
  await expect(page.getByRole('link', { name: 'ସାଇନ୍ ଇନ୍' })).toBeVisible();

  await page.getByRole('button', { name: 'हिन्दी' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('जन्म प्रमाण पत्र');
  await page.goto('/search?q=पानी का बिल');
  await expect(page.getByRole('link', { name: 'पानी का बिल भुगतान' })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});
