import { test, expect } from '@playwright/test';
import { DEMO, expectAccessible, expectNoSidewaysScroll, hydrated, signIn } from './helpers';

test('a department admin makes a post, and when it changes hands its open work goes with it', async ({ browser }) => {
  const admin = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
  await signIn(admin, DEMO.bmcAdmin);
  await admin.goto('/admin');
  await admin.getByRole('link', { name: 'Posts' }).click();
  await expect(admin.getByRole('heading', { name: 'Posts', level: 1 })).toBeVisible();
  await expect(admin.getByTestId('posts')).toContainText('Sanitary Inspector, wards 1–10');
  await hydrated(admin);
  await expectAccessible(admin);
  await expectNoSidewaysScroll(admin);

  // a mistake is named at its field, and what was typed stays
  const title = `Road Inspector, wards 57–58 ${Date.now()}`;
  await admin.getByLabel('Title of the post').fill(title);
  await admin.getByLabel('Wards it serves').fill('fifty-seven');
  await admin.getByRole('checkbox', { name: 'Pothole or damaged road' }).check();
  await admin.locator('#post-holder').selectOption({ label: 'Chitra Das' });
  await admin.getByRole('button', { name: 'Create the post' }).click();
  await expect(admin.locator('#wards-error')).toHaveText('Write ward numbers separated by commas, for example 1–10, 14.');
  await expect(admin.getByLabel('Title of the post')).toHaveValue(title);
  await admin.getByLabel('Wards it serves').fill('57-58');
  await admin.getByRole('button', { name: 'Create the post' }).click();
  await expect(admin.getByTestId('posts')).toContainText(title);

  // a pothole in ward 57 is routed to the new post and its holder
  const citizen = await (await browser.newContext()).newPage();
  await signIn(citizen, DEMO.citizen);
  await citizen.goto('/grievances/new');
  await hydrated(citizen);
  await citizen.getByLabel('What is it about?').selectOption({ label: 'Pothole or damaged road — Bhubaneswar Municipal Corporation' });
  await citizen.getByLabel('What is wrong?').fill(`Pothole outside the ward 57 office ${Date.now()}`);
  await citizen.getByLabel('Ward', { exact: true }).selectOption('57');
  await citizen.getByRole('button', { name: 'File the grievance' }).click();
  await citizen.waitForURL(/\/grievances\/GR-/);
  const number = new URL(citizen.url()).pathname.split('/').pop()!;

  // Chitra moves on: the admin hands the post to Farida, and the grievance goes with it
  await admin.goto('/admin/posts');
  await hydrated(admin);
  await expectAccessible(admin);
  await admin.getByLabel('Post', { exact: true }).selectOption({ label: title });
  // nobody chosen yet: the button alone moves nothing
  await admin.getByRole('button', { name: 'Hand over' }).click();
  await expect(admin.locator('#holder-error')).toHaveText("Choose one of this department's staff.");
  await admin.getByLabel('New holder').selectOption({ label: 'Farida Begum' });
  await admin.getByRole('button', { name: 'Hand over' }).click();
  await expect(admin.getByTestId('posts').getByRole('row', { name: new RegExp(title) })).toContainText('Farida Begum');
  await admin.goto('/work?scope=department&ward=57');
  const card = admin.locator('li.work-item', { hasText: number });
  await expect(card).toContainText('Farida Begum');
  await expect(card).toContainText(`post: ${title}`);
  await expectAccessible(admin);
});
