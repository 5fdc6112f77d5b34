import { test, expect, Page } from '@playwright/test';
import { expectAccessible, expectNoSidewaysScroll, freshMobile, hydrated, register } from './helpers';

const phone = { viewport: { width: 360, height: 740 } };

/** Applies for a tailoring shop's trade licence (no documents needed): its page, fee due. */
async function applyForTradeLicence(page: Page): Promise<string> {
  await page.goto('/services/trade-licence-new/apply');
  await hydrated(page);
  await page.getByLabel('Name of the business').fill('Behera Tailors ' + Math.floor(Math.random() * 1e6));
  await page.getByLabel('Tailoring').check();
  await page.getByLabel(/Shop's floor area/).fill('12');
  await page.getByRole('group', { name: /Is the shop rented/ }).getByLabel('No').check();
  await page.getByLabel("Shop's address").fill('Shop 7, Unit 2 Market, Bhubaneswar');
  await expect(page.locator('[data-kept]')).toHaveText('Kept');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Check your answers before you apply' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Application received' })).toBeVisible();
  return (await page.getByTestId('application-number').textContent())!.trim();
}

/** From the application's page through our payment page to the sandbox's checkout. */
async function toCheckout(page: Page) {
  await hydrated(page);
  await page.getByTestId('pay-fee').click();
  await expect(page.getByRole('heading', { name: 'Payment' })).toBeVisible();
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);
  await page.getByTestId('go-to-checkout').click();
  await expect(page.getByRole('heading', { name: 'Sandbox checkout' })).toBeVisible();
}

test('a trade licence fee is paid by UPI through the checkout, with a receipt kept on the phone', async ({ browser }) => {
  const citizen = await (await browser.newContext(phone)).newPage();
  await register(citizen, freshMobile(), 'Sabita Behera');
  const number = await applyForTradeLicence(citizen);
  await citizen.goto(`/applications/${number}`);
  const fee = citizen.getByTestId('fee');
  await expect(fee.getByTestId('fee-summary')).toContainText('due');
  await expectAccessible(citizen);
  await expectNoSidewaysScroll(citizen);
  const amount = (await citizen.getByTestId('pay-fee').textContent())!.match(/₹[\d,]+/)![0];

  await toCheckout(citizen);
  await expect(citizen.getByTestId('checkout-amount')).toContainText(amount.replace(',', ''));
  await citizen.getByLabel('UPI: pay now').check();
  await citizen.getByRole('button', { name: /^Pay / }).click();

  // back on the application: paid, with its receipt, and no button to pay again
  await expect(citizen).toHaveURL(new RegExp(`/applications/${number}$`));
  await expect(fee.getByTestId('fee-summary')).toHaveText(`Fee ${amount}, paid.`);
  await expect(citizen.getByTestId('pay-fee')).toHaveCount(0);
  await expect(citizen.getByText('The fee was paid')).toBeVisible();
  await fee.getByTestId('receipts').getByRole('link').first().click();
  const receipt = citizen.getByTestId('receipt');
  await expect(receipt.getByRole('heading', { name: /^Receipt RC-/ })).toBeVisible();
  await expect(receipt.getByTestId('receipt-amount')).toHaveText(amount);
  await expect(receipt).toContainText('UPI');
  await expect(receipt).toContainText(number);
  await expectAccessible(citizen);
  await expectNoSidewaysScroll(citizen);

  // the receipt shows without a connection
  const url = citizen.url();
  await citizen.context().setOffline(true);
  await citizen.goto(url);
  await expect(citizen.getByTestId('receipt-amount')).toHaveText(amount);
  await citizen.context().setOffline(false);

  // in Odia and Hindi too, accessible at 360 px
  for (const [lang, heading] of [['or', /^ରସିଦ RC-/], ['hi', /^रसीद RC-/]] as const) {
    await citizen.context().addCookies([{ name: 'nagarik_lang', value: lang, url: new URL(url).origin }]);
    await citizen.goto(url);
    await expect(citizen.getByRole('heading', { name: heading })).toBeVisible();
    await expectAccessible(citizen);
    await expectNoSidewaysScroll(citizen);
  }
});

test('a declined card and a payment given up leave the fee due, and the page says so', async ({ browser }) => {
  const citizen = await (await browser.newContext(phone)).newPage();
  await register(citizen, freshMobile(), 'Pradeep Nayak');
  const number = await applyForTradeLicence(citizen);
  await citizen.goto(`/applications/${number}`);

  // given up at the checkout: back where they were, nothing taken, the button still there
  await toCheckout(citizen);
  await citizen.getByRole('link', { name: 'Cancel and go back' }).click();
  await expect(citizen).toHaveURL(new RegExp(`/applications/${number}$`));
  await expect(citizen.getByTestId('pay-fee')).toBeVisible();

  // the bank declines: the page says nothing was taken, and a new try is offered
  await toCheckout(citizen);
  await citizen.getByLabel('Card: declined by the bank').check();
  await citizen.getByRole('button', { name: /^Pay / }).click();
  await expect(citizen).toHaveURL(new RegExp(`/applications/${number}$`));
  await expect(citizen.getByTestId('payment-note')).toHaveText('Your last payment did not go through and nothing was taken. You can try again.');
  await expect(citizen.getByTestId('fee-summary')).toContainText('due');
  await expectAccessible(citizen);

  // the new try succeeds
  await toCheckout(citizen);
  await citizen.getByLabel('Net banking: pay').check();
  await citizen.getByRole('button', { name: /^Pay / }).click();
  await expect(citizen.getByTestId('fee-summary')).toContainText('paid');
  await expect(citizen.getByTestId('payment-note')).toHaveCount(0);
});
