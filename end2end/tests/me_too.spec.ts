import { test, expect } from '@playwright/test';
import { DEMO, expectAccessible, expectNoSidewaysScroll, freshMobile, hydrated, register, signIn } from './helpers';

test('a second citizen reporting the same streetlight is offered the open grievance and joins it with "me too"', async ({ browser }) => {
  const place = `Kalinga hostel gate ${Date.now() % 100000}`;
  // The first citizen files it.
  const first = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
  await signIn(first, DEMO.citizen);
  await first.goto('/grievances/new');
  await hydrated(first);
  await first.getByLabel('What is it about?').selectOption({ label: 'Streetlight not working — Bhubaneswar Municipal Corporation' });
  await first.getByLabel('What is wrong?').fill(`Streetlight dark outside the ${place} for three nights`);
  await first.getByLabel('Ward', { exact: true }).selectOption('21');
  await first.getByLabel('Landmark (optional)').fill(place);
  await first.getByRole('button', { name: 'File the grievance' }).click();
  await first.waitForURL(/\/grievances\/GR-/);
  const number = decodeURIComponent(first.url().split('/').pop()!);

  // A neighbour starts filing the same problem and is offered to join it.
  const page = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
  await register(page, freshMobile(), 'Rabi Nayak');
  await page.goto('/grievances/new');
  await hydrated(page);
  await page.getByLabel('What is it about?').selectOption({ label: 'Streetlight not working — Bhubaneswar Municipal Corporation' });
  await page.getByLabel('Ward', { exact: true }).selectOption('21');
  await page.getByLabel('Landmark (optional)').fill(place);
  await page.getByLabel('What is wrong?').fill(`The streetlight at the ${place} is dark`);
  await page.keyboard.press('Tab');
  const offer = page.locator('.similar-nearby');
  await expect(offer.getByRole('heading', { name: 'Already reported nearby?' })).toBeVisible();
  const card = offer.locator(`li[data-number="${number}"]`);
  await expect(card).toContainText('People affected: 1');
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);
  // What was typed stays: filing anyway remains possible.
  await expect(page.getByLabel('What is wrong?')).toHaveValue(`The streetlight at the ${place} is dark`);

  await card.getByRole('button', { name: 'Me too — this is my problem too' }).click();
  await page.waitForURL(`**/grievances/${number}`);
  await expect(page.getByTestId('timeline')).toContainText('Another citizen reported the same problem');
  await expect(page.getByText('9000000004')).toHaveCount(0);
  await expectAccessible(page);
  await page.goto('/grievances');
  await expect(page.getByRole('link', { name: number })).toBeVisible();

  // The first citizen sees that someone else has the same problem.
  await first.goto('/grievances');
  await expect(first.locator('li', { hasText: number })).toContainText('Others affected: 1');
});
