import { test, expect, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { DEMO, expectAccessible, expectNoSidewaysScroll, freshMobile, hydrated, register, signIn } from './helpers';

/** Takes a step on the application page (with what it must say, if it asks). */
async function step(page: Page, button: string, note?: string) {
  await hydrated(page);
  const form = page.locator('form', { has: page.getByRole('button', { name: button }) });
  if (note !== undefined) await form.getByRole('textbox').fill(note);
  await form.getByRole('button', { name: button }).click();
}

test('a citizen applies for a birth certificate from a kept draft and the department delivers it', async ({ browser }) => {
  const child = 'Subhashree ' + Math.floor(Math.random() * 1e6);
  const citizen = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
  await signIn(citizen, DEMO.citizen);

  // From the service page to its form.
  await citizen.goto('/services/birth-certificate');
  await citizen.getByRole('link', { name: 'Apply online' }).click();
  await expect(citizen.getByRole('heading', { name: /Apply: / })).toBeVisible();
  await hydrated(citizen);
  await expectAccessible(citizen);
  await expectNoSidewaysScroll(citizen);

  // What is typed is kept as the person goes, and is there again after a reload.
  await citizen.getByLabel("Child's name").fill(child);
  await expect(citizen.locator('[data-kept]')).toHaveText('Kept');
  await citizen.reload();
  await hydrated(citizen);
  await expect(citizen.getByLabel("Child's name")).toHaveValue(child);

  // Offline, what is typed is kept on the phone (encrypted), and reaches the server once the
  // connection returns.
  await citizen.context().setOffline(true);
  await citizen.getByLabel("Mother's name").fill('Sasmita Mohapatra');
  await expect(citizen.locator('#device-draft')).toBeVisible();
  await citizen.context().setOffline(false);
  await expect(citizen.locator('#device-draft')).toBeHidden();
  await citizen.reload();
  await hydrated(citizen);
  await expect(citizen.getByLabel("Mother's name")).toHaveValue('Sasmita Mohapatra');

  // A hospital birth asks for the hospital; a home birth does not.
  await expect(citizen.getByLabel("Hospital's name")).toBeHidden();
  await citizen.getByLabel('A hospital').check();
  await expect(citizen.getByLabel("Hospital's name")).toBeVisible();
  await citizen.getByLabel('At home').check();
  await expect(citizen.getByLabel("Hospital's name")).toBeHidden();

  // A problem is shown at its field, and nothing typed is lost.
  await citizen.getByLabel('Date of birth').fill('2099-01-01');
  await citizen.getByRole('button', { name: 'Continue' }).click();
  await expect(citizen.locator('#date_of_birth-error')).not.toBeEmpty();
  await expect(citizen.locator('#address-error')).toHaveText('Answer this: it is needed.');
  await expect(citizen.getByLabel('Date of birth')).toHaveAttribute('aria-invalid', 'true');
  await expect(citizen.getByLabel("Child's name")).toHaveValue(child);

  await citizen.getByLabel('Date of birth').fill('2026-10-02');
  await citizen.getByLabel("Mother's name").fill('Sasmita Mohapatra');
  await citizen.getByLabel('Address').fill('Plot 14, Saheed Nagar, Bhubaneswar');
  await citizen.getByRole('button', { name: 'Continue' }).click();

  // Check your answers, then apply.
  await expect(citizen.getByRole('heading', { name: 'Check your answers before you apply' })).toBeVisible();
  await expect(citizen.getByText(child)).toBeVisible();
  await expect(citizen.getByText('02-10-2026')).toBeVisible();
  await expect(citizen.getByTestId('fee')).toHaveText('No fee');
  await expectAccessible(citizen);
  await expectNoSidewaysScroll(citizen);
  await hydrated(citizen);
  await citizen.getByRole('button', { name: 'Apply', exact: true }).click();

  await expect(citizen.getByRole('heading', { name: 'Application received' })).toBeVisible();
  const number = (await citizen.getByTestId('application-number').textContent())!.trim();
  expect(number).toMatch(/^AP-\d{2}-\d{7}-\d$/);
  await expect(citizen.getByTestId('due-on')).toHaveText(/To be decided by \d{2}-\d{2}-\d{4}/);
  await expectAccessible(citizen);
  await expectNoSidewaysScroll(citizen);
  await citizen.getByRole('link', { name: 'My applications' }).first().click();
  await expect(citizen.getByRole('link', { name: number })).toBeVisible();

  // The registrar finds it in their queue and asks for more.
  const official = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
  await signIn(official, DEMO.official);
  await official.goto('/work?status=application:submitted');
  await official.getByRole('link', { name: number }).click();
  await expect(official.getByRole('heading', { name: `Application ${number}` })).toBeVisible();
  await expect(official.getByText(child)).toBeVisible();
  await expectAccessible(official);
  await step(official, 'Ask the applicant for more', '');
  await expect(official.locator('#step-ask_for_more-note-error')).toHaveText('Write a few words here.');
  await step(official, 'Ask the applicant for more', "Send the ward councillor's letter");
  await expect(official.getByTestId('application-status')).toHaveText('Waiting for the applicant');

  // The applicant reads what is wanted and answers; the clock stood still meanwhile.
  await citizen.goto(`/applications/${number}`);
  await expect(citizen.getByRole('region', { name: 'The department asks' })).toContainText("Send the ward councillor's letter");
  await expect(citizen.getByText(/The clock stands still until you answer/)).toBeVisible();
  await expectAccessible(citizen);
  await step(citizen, 'Send my answer', 'The letter is with the ward office; its number is 114/2026.');
  await expect(citizen.getByTestId('application-status')).toHaveText('Submitted');

  // The registrar verifies, approves and delivers.
  await official.reload();
  await step(official, 'Mark as verified');
  await expect(official.getByTestId('application-status')).toHaveText('Verified');
  await step(official, 'Approve');
  await expect(official.getByTestId('application-status')).toHaveText('Approved');
  await step(official, 'Mark as delivered');
  await expect(official.getByTestId('application-status')).toHaveText('Delivered');

  // Every step, with who took it, on the applicant's page.
  await citizen.reload();
  const timeline = citizen.locator('.timeline li');
  await expect(timeline).toHaveCount(7);
  await expect(timeline.nth(1)).toContainText('The department asked for more');
  await expect(timeline.nth(2)).toContainText('The applicant answered');
  await expect(timeline.nth(5)).toContainText('The certificate was issued');
  await expect(timeline.nth(6)).toContainText('Delivered');
  await expect(citizen.getByTestId('certificate')).toContainText(child);
});

test('the apply form and its answers read in Odia and Hindi, and stay accessible', async ({ page }) => {
  await signIn(page, DEMO.citizen);
  const url = new URL(page.url()).origin;
  for (const [lang, heading] of [['or', 'ଆବେଦନ: '], ['hi', 'आवेदन: ']]) {
    await page.context().addCookies([{ name: 'nagarik_lang', value: lang, url }]);
    await page.goto('/services/trade-licence-new/apply');
    await expect(page.getByRole('heading', { name: new RegExp(heading) })).toBeVisible();
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);
    await page.goto('/applications');
    await expectAccessible(page);
  }
  await page.context().addCookies([{ name: 'nagarik_lang', value: 'en', url }]);
});

/** Applies for a birth certificate (born at home) and answers the application's number. */
async function applyForBirthCertificate(page: Page, child: string): Promise<string> {
  await page.goto('/services/birth-certificate/apply');
  await hydrated(page);
  await page.getByLabel("Child's name").fill(child);
  await page.getByLabel('Date of birth').fill('2026-09-14');
  await page.getByLabel('At home').check();
  await page.getByLabel("Mother's name").fill('Pragyan Mishra');
  await page.getByLabel('Address').fill('House 7, Patia, Bhubaneswar');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Check your answers before you apply' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Application received' })).toBeVisible();
  return (await page.getByTestId('application-number').textContent())!.trim();
}

test('an application past its time limit is appealed, and the appellate officer allows it with a penalty', async ({ browser }) => {
  // A citizen of their own: one person has one draft of a service, which the other journeys use.
  const citizen = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
  await register(citizen, freshMobile(), 'Sanjukta Behera');
  const number = await applyForBirthCertificate(citizen, 'Sanjukta ' + Math.floor(Math.random() * 1e6));
  // Its time limit passes with nothing decided (the clock moved on in the database).
  execFileSync('psql', [process.env.DATABASE_URL!, '-qc',
    `UPDATE applications SET due_on = current_date - 2 WHERE number = '${number}'`]);

  await citizen.goto(`/applications/${number}`);
  await expect(citizen.getByTestId('appellate-officer')).toContainText('Bikash Nayak');
  await expectAccessible(citizen);
  await hydrated(citizen);
  await citizen.getByRole('button', { name: 'Ask for: Appeal' }).click();
  await expect(citizen.locator('#appeal-note-error')).toHaveText('Write a few words here.');
  await citizen.getByLabel('Why you appeal').fill('Two days past the limit and no word from the office.');
  await citizen.getByRole('button', { name: 'Ask for: Appeal' }).click();
  await expect(citizen.getByTestId('appeal-decision')).toHaveText('Waiting for a decision');

  // The appellate officer finds it in their queue and decides it.
  const officer = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
  await signIn(officer, DEMO.bmcAdmin);
  await officer.goto('/work?status=appeal:pending');
  await officer.getByRole('link', { name: number }).first().click();
  await expect(officer.getByRole('heading', { name: `Application ${number}` })).toBeVisible();
  await hydrated(officer);
  await expectAccessible(officer);
  await officer.getByRole('button', { name: 'Record the decision' }).click();
  await expect(officer.locator('#decision-error')).not.toBeEmpty();
  await officer.getByLabel('Allowed').check();
  await officer.getByLabel('Reasons').fill('The office must decide within the week.');
  await officer.getByLabel(/Penalty on the officer/).fill('500');
  await officer.getByRole('button', { name: 'Record the decision' }).click();
  await expect(officer.getByTestId('appeal-decision')).toHaveText('Allowed');
  await expect(officer.getByText('Penalty ordered: ₹500 · Chitra Das')).toBeVisible();

  // The applicant sees the decision and the new due date; the department's record counts it.
  await citizen.reload();
  await expect(citizen.getByTestId('appeal-decision')).toHaveText('Allowed');
  await expect(citizen.getByTestId('due-on')).toBeVisible();
  await officer.goto('/admin/applications');
  await expect(officer.getByTestId('records')).toContainText('Bhubaneswar');
  await expectAccessible(officer);
  await expectNoSidewaysScroll(officer);
});

test('a department admin changes a question of a service form, and the apply page asks it so', async ({ browser }) => {
  const admin = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
  await signIn(admin, DEMO.bmcAdmin);
  await admin.goto('/admin/services/marriage-registration');
  await admin.getByRole('link', { name: 'Edit the application form' }).click();
  await expect(admin.getByRole('heading', { name: 'Application form' })).toBeVisible();
  await hydrated(admin);
  await expectAccessible(admin);
  const label = 'Full name of the groom ' + Math.floor(Math.random() * 1e6);
  const first = admin.getByRole('group', { name: 'Question 1', exact: true });
  await first.getByLabel('Question in English').fill(label);
  // a mistake is named at its question, and nothing typed is lost
  const second = admin.getByRole('group', { name: 'Question 2', exact: true });
  await second.getByLabel('Short name (small letters, digits and _)').fill('Groom ID!');
  await admin.getByRole('button', { name: 'Save as a new version' }).click();
  await expect(admin.locator('#field-2-error')).not.toBeEmpty();
  await expect(first.getByLabel('Question in English')).toHaveValue(label);
  await second.getByLabel('Short name (small letters, digits and _)').fill('groom_id');
  await admin.getByRole('button', { name: 'Save as a new version' }).click();
  await expect(admin.locator('#form-saved')).toBeVisible();

  const citizen = await (await browser.newContext()).newPage();
  await signIn(citizen, DEMO.citizen);
  await citizen.goto('/services/marriage-registration/apply');
  await expect(citizen.getByLabel(label)).toBeVisible();
});
