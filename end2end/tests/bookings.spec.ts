import { test, expect, Page } from '@playwright/test';
import { expectAccessible, expectNoSidewaysScroll, freshMobile, hydrated, register } from './helpers';

const phone = { viewport: { width: 360, height: 740 } };

/** Opens a hall's month that has free days, picks a free day by keyboard, and the evening. */
async function chooseEvening(page: Page, slug: string, offset: number) {
  await page.goto(`/book/${slug}`);
  // a month ahead, where every day is still bookable
  await page.locator('.calendar-nav a[rel="next"]').click();
  const free = page.locator('.calendar .day-free a');
  await expect(free.first()).toBeVisible();
  const day = free.nth(offset);
  await day.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#times-heading')).toBeVisible();
  await hydrated(page);
  await page.getByRole('radio', { name: /17:00–23:00 · free/ }).check();
}

test('a kalyan mandap is booked and paid at phone size, then cancelled with its refund and receipt', async ({ browser }) => {
  const citizen = await (await browser.newContext(phone)).newPage();
  await register(citizen, freshMobile(), 'Rashmi Pattnaik');

  await citizen.goto('/book');
  await expectAccessible(citizen);
  await expectNoSidewaysScroll(citizen);
  await citizen.getByRole('link', { name: 'Saheed Nagar Kalyan Mandap' }).click();
  await expect(citizen.getByTestId('calendar')).toBeVisible();
  await expectAccessible(citizen);
  await expectNoSidewaysScroll(citizen);

  await chooseEvening(citizen, 'saheed-nagar-kalyan-mandap', Math.floor(Math.random() * 10));
  await expectAccessible(citizen);
  await citizen.getByTestId('hold-and-pay').click();
  await expect(citizen.getByRole('heading', { name: 'Payment' })).toBeVisible();
  await citizen.getByTestId('go-to-checkout').click();
  await expect(citizen.getByTestId('checkout-amount')).toHaveText('₹20000.00');
  await citizen.getByLabel('UPI: pay now').check();
  await citizen.getByRole('button', { name: /^Pay / }).click();

  // back on the booking: confirmed, with its receipt
  await expect(citizen).toHaveURL(/\/bookings\/BK-/);
  await expect(citizen.getByTestId('booking-state')).toHaveText('Confirmed');
  await expect(citizen.getByTestId('receipts').getByRole('link')).toHaveCount(1);
  await expectAccessible(citizen);
  await expectNoSidewaysScroll(citizen);
  const bookingUrl = citizen.url();

  // the evening is now booked for everyone else
  const other = await (await browser.newContext(phone)).newPage();
  await register(other, freshMobile(), 'Manoj Sethi');
  const day = (await citizen.getByTestId('booking-day').textContent())!;
  await other.goto('/book/saheed-nagar-kalyan-mandap');
  await other.locator('.calendar-nav a[rel="next"]').click();
  await other.getByRole('link', { name: new RegExp(`^${day}:`) }).click();
  await expect(other.getByRole('radio', { name: /17:00–23:00 · booked/ })).toBeDisabled();

  // cancelled more than a week ahead: the fee and the deposit back, with a refund receipt
  await citizen.goto(bookingUrl);
  await expect(citizen.getByTestId('cancel-refund')).toHaveText('Cancelling now gives back ₹20,000, by the facility\'s rules.');
  await hydrated(citizen);
  await citizen.getByTestId('cancel-booking').click();
  await expect(citizen.getByTestId('booking-state')).toHaveText('Cancelled');
  await expect(citizen.getByTestId('receipts').getByRole('link')).toHaveCount(2);
  await citizen.getByTestId('receipts').getByRole('link', { name: /^Refund receipt/ }).click();
  await expect(citizen.getByTestId('receipt-amount')).toHaveText('₹20,000');
  await expectAccessible(citizen);
});

test('a declined payment leaves the slot free for someone else', async ({ browser }) => {
  const first = await (await browser.newContext(phone)).newPage();
  await register(first, freshMobile(), 'Sunita Das');
  await chooseEvening(first, 'old-town-kalyan-mandap', 12 + Math.floor(Math.random() * 8));
  const day = (await first.locator('#times-heading').textContent())!;
  await first.getByTestId('hold-and-pay').click();
  await first.getByTestId('go-to-checkout').click();
  await first.getByLabel('Card: declined by the bank').check();
  await first.getByRole('button', { name: /^Pay / }).click();
  await expect(first).toHaveURL(/\/bookings\/BK-/);
  await expect(first.getByTestId('booking-state')).toHaveText('Not paid; the time was let go');

  const second = await (await browser.newContext(phone)).newPage();
  await register(second, freshMobile(), 'Bikash Rout');
  await second.goto('/book/old-town-kalyan-mandap');
  await second.locator('.calendar-nav a[rel="next"]').click();
  await second.getByRole('link', { name: new RegExp(`^${day}:`) }).click();
  await expect(second.getByRole('radio', { name: /17:00–23:00 · free/ })).toBeEnabled();
});
