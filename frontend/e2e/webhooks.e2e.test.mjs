// End to end: staff add a webhook endpoint and see its secret once, pause it, change its
// events, look at its delivery log and delete it; the API agrees at every step.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminToken, listWebhooks } from './support/api.mjs';
import { launchBrowser, newPage } from './support/browser.mjs';
import { ADMIN_EMAIL, ADMIN_PASSWORD, APP_URL, RUN_ID } from './support/config.mjs';

let browser;
let admin;

before(async () => {
  browser = await launchBrowser();
  admin = await adminToken();
});

after(async () => {
  await browser?.close();
});

/** The endpoint with this URL as the API lists it, or undefined. */
async function endpointAt(url) {
  return (await listWebhooks(admin)).items.find((e) => e.url === url);
}

describe('webhooks', () => {
  test('add an endpoint, its secret shown once; pause, edit events, delivery log, delete', { timeout: 240_000 }, async () => {
    // Nothing listens there: no delivery to it can succeed, which the test does not need.
    const url = `http://127.0.0.1:9/e2e-${RUN_ID.toLowerCase()}`;
    const { context, page, foreignRequests, consoleErrors } = await newPage(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: APP_URL });
    try {
      await page.goto(`${APP_URL}/`);
      await page.getByLabel('Email').fill(ADMIN_EMAIL);
      await page.getByLabel('Password').fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const staffNav = page.getByRole('navigation', { name: 'Staff' });
      await staffNav.getByRole('link', { name: 'Webhooks' }).click();
      await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();

      await page.getByLabel('Endpoint URL').fill(url);
      await page.getByRole('checkbox', { name: /Order placed/ }).check();
      await page.getByRole('checkbox', { name: /Product ran low on stock/ }).check();
      await page.getByRole('button', { name: 'Add endpoint' }).click();

      const secretBox = page.getByTestId('webhook-secret');
      await secretBox.waitFor({ timeout: 90_000 });
      const secret = await secretBox.getByTestId('secret-value').textContent();
      assert.match(secret, /^whsec_/);
      assert.match(await secretBox.getByRole('alert').textContent(), /will not be shown again/);
      await secretBox.getByRole('button', { name: 'Copy secret' }).click();
      await secretBox.getByText('Copied.').waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);

      const made = await endpointAt(url);
      assert.deepEqual(made.events, ['order.created', 'product.low_stock']);
      assert.equal(made.active, true);
      assert.equal(made.secret, undefined, 'the list never carries the secret');

      // Once dismissed (or after a reload) the secret is nowhere on the page.
      await secretBox.getByRole('button', { name: 'I have copied it' }).click();
      await page.reload();
      const card = page.locator(`article[data-webhook-id="${made.id}"]`);
      await card.waitFor();
      assert.equal(await page.getByText(secret).count(), 0);

      await card.getByRole('button', { name: 'Pause' }).click();
      await card.getByText('Paused').waitFor({ timeout: 60_000 });
      assert.equal((await endpointAt(url)).active, false);

      await card.getByRole('button', { name: 'Edit events' }).click();
      await card.getByRole('checkbox', { name: /Product ran low on stock/ }).uncheck();
      await card.getByRole('checkbox', { name: /Purchase order received/ }).check();
      await card.getByRole('button', { name: 'Save events' }).click();
      await card.getByRole('list', { name: 'Events sent' }).getByText('Purchase order received').waitFor({ timeout: 60_000 });
      assert.deepEqual((await endpointAt(url)).events, ['order.created', 'purchase_order.received']);

      // The delivery log answers (whatever has been delivered to this address so far).
      await card.getByRole('button', { name: 'Show deliveries' }).click();
      const log = card.getByTestId('delivery-log');
      await log.getByLabel('Delivery status').selectOption('failed');
      await log.locator('table.deliveries, .empty').first().waitFor({ timeout: 60_000 });

      await card.getByRole('button', { name: 'Delete endpoint' }).click();
      await card.getByRole('button', { name: 'Yes, delete' }).click();
      await card.waitFor({ state: 'detached', timeout: 60_000 });
      assert.equal(await endpointAt(url), undefined);

      assert.deepEqual(foreignRequests, [], 'the app called something other than itself and the API');
      assert.deepEqual(consoleErrors, []);
    } finally {
      await context.close();
    }
  });
});
