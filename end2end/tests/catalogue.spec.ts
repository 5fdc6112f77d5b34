import { test, expect } from '@playwright/test';
import { expectAccessible, expectNoSidewaysScroll } from './helpers';

test('a citizen who does not know the office finds a service by life event', async ({ page }) => {
  await page.goto('/');
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);
  await page.getByRole('link', { name: 'A new baby' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A new baby');
  await page.getByRole('link', { name: 'Birth certificate' }).click();
  await expect(page.getByText('Hospital discharge slip')).toBeVisible();
  await expect(page.getByTestId('fee')).toHaveText('Free');
  await expectAccessible(page);
});

test('search forgives typos and knows synonyms, by keyboard alone', async ({ page }) => {
  await page.goto('/');
  // Skip link first, then the navigation, then the search box.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.getByRole('searchbox').focus();
  await page.keyboard.type('light bil');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('link', { name: 'Electricity bill payment' })).toBeVisible();
  await page.getByRole('searchbox').fill('zzqqxx');
  await page.getByRole('searchbox').press('Enter');
  await expect(page.getByText(/No service matches/)).toBeVisible();
  await expectAccessible(page);
});

test('departments and agencies are browsable', async ({ page }) => {
  await page.goto('/departments');
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Odisha Police' }).click();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Tenant verification' }).click();
  await expect(page.getByRole('link', { name: "Apply on the agency's website" })).toHaveAttribute('href', /^https:/);
  const missing = await page.goto('/services/not-a-service');
  expect(missing?.status()).toBe(404);
  await expectAccessible(page);
});
