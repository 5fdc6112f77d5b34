import { test, expect } from '@playwright/test';
import { expectAccessible, expectNoSidewaysScroll, freshMobile, hydrated, register } from './helpers';

const phone = { viewport: { width: 360, height: 740 } };

test('a water bill is linked, paid through the sandbox checkout, confirmed by WATCO, with its receipt', async ({ browser }) => {
  const citizen = await (await browser.newContext(phone)).newPage();
  await register(citizen, freshMobile(), 'Sasmita Mohanty');

  // found from the catalogue's service, without knowing where bills live
  await citizen.goto('/services/water-bill-payment');
  await citizen.getByRole('link', { name: 'Pay your bill here' }).click();
  await expect(citizen.getByRole('heading', { name: 'Bills', exact: true })).toBeVisible();
  await expectAccessible(citizen);
  await expectNoSidewaysScroll(citizen);

  // a number the wrong length, then one WATCO does not know: said at the field, what was typed kept
  await hydrated(citizen);
  await citizen.getByLabel('Biller').selectOption({ label: 'WATCO water' });
  await citizen.getByRole('textbox', { name: 'Consumer number' }).fill('12345');
  await citizen.getByTestId('link-bill').click();
  await expect(citizen.locator('#consumer-error')).toHaveText('A WATCO consumer number has 10 digits.');
  await citizen.getByRole('textbox', { name: 'Consumer number' }).fill('1999999999');
  await citizen.getByTestId('link-bill').click();
  await expect(citizen.locator('#consumer-error')).toHaveText('The biller does not know this number. Check it against your bill.');
  await expect(citizen.getByRole('textbox', { name: 'Consumer number' })).toHaveValue('1999999999');
  await citizen.getByRole('textbox', { name: 'Consumer number' }).fill('1000000001');
  await citizen.getByLabel(/Name it/).fill('Home');
  await citizen.getByTestId('link-bill').click();

  // the bill, fetched from WATCO as the page opens
  await expect(citizen.getByRole('heading', { name: 'WATCO water · 1000000001' })).toBeVisible();
  await expect(citizen.getByTestId('bill-amount')).toHaveText('₹412');
  await expect(citizen.getByText('This biller takes the amount due in full.')).toBeVisible();
  await expectAccessible(citizen);
  await expectNoSidewaysScroll(citizen);

  await hydrated(citizen);
  await citizen.getByTestId('pay-bill').click();
  await expect(citizen.getByRole('heading', { name: 'Payment' })).toBeVisible();
  await citizen.getByTestId('go-to-checkout').click();
  await expect(citizen.getByRole('heading', { name: 'Sandbox checkout' })).toBeVisible();
  await expect(citizen.getByTestId('checkout-amount')).toContainText('412');
  await citizen.getByLabel('UPI: pay now').check();
  await citizen.getByRole('button', { name: /^Pay / }).click();

  // back on the bill payment: paid, then confirmed once WATCO has been told (a job, seconds)
  await expect(citizen).toHaveURL(/\/bills\/payments\/BP-/);
  const url = citizen.url();
  await expect(async () => {
    await citizen.goto(url);
    await expect(citizen.getByTestId('bill-payment-state')).toHaveText('Paid and confirmed', { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(citizen.getByTestId('bill-payment-said')).toContainText('WATCO water has your payment');
  await expectAccessible(citizen);
  await expectNoSidewaysScroll(citizen);

  await citizen.getByTestId('receipts').getByRole('link').first().click();
  const receipt = citizen.getByTestId('receipt');
  await expect(receipt.getByRole('heading', { name: /^Receipt RC-/ })).toBeVisible();
  await expect(receipt.getByTestId('receipt-amount')).toHaveText('₹412');

  // the bill now says nothing is due, and lists the payment
  await citizen.goto('/bills/watco?consumer=1000000001');
  await expect(citizen.getByTestId('bill-standing')).toHaveText('Nothing is due: the bill is paid.');
  await expect(citizen.getByTestId('pay-bill')).toHaveCount(0);
  await expect(citizen.getByTestId('bill-payments')).toContainText('Paid and confirmed');

  // in Odia and Hindi too
  for (const [lang, heading] of [['or', 'ବିଲ୍'], ['hi', 'बिल']] as const) {
    await citizen.context().addCookies([{ name: 'nagarik_lang', value: lang, url: new URL(url).origin }]);
    await citizen.goto('/bills');
    await expect(citizen.getByRole('heading', { name: heading, exact: true })).toBeVisible();
    await expect(citizen.getByTestId('linked-bills')).toContainText('1000000001');
    await expectAccessible(citizen);
    await expectNoSidewaysScroll(citizen);
  }
});
