// End to end: the built app in headless Chromium against the running local stack.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adjustStock, adminToken, createProduct, getOrder, placeOrder, registerCustomer, waitForSummary } from './support/api.mjs';
import { fillAddress } from './support/checkout.mjs';
import { launchBrowser, newPage, screenshot } from './support/browser.mjs';
import { ADMIN_EMAIL, ADMIN_PASSWORD, APP_URL, EXPECT_SUMMARY, RUN_ID } from './support/config.mjs';

const SUMMARY_TIMEOUT_MS = 120_000;
let browser;
let admin;

before(async () => {
  browser = await launchBrowser();
  admin = await adminToken();
});

after(async () => {
  await browser?.close();
});

describe('customer', () => {
  test('registers, searches, orders and fixes a short-stock cart; sees no staff summary', { timeout: 300_000 }, async () => {
    const kettle = await createProduct(admin, {
      sku: `E2E-KETTLE-${RUN_ID}`,
      name: `Kettle ${RUN_ID}`,
      description: 'Boils water quickly.',
      price_cents: 2999,
      stock: 3,
    });
    const teapot = await createProduct(admin, {
      sku: `E2E-TEAPOT-${RUN_ID}`,
      name: `Teapot ${RUN_ID}`,
      price_cents: 1550,
      stock: 40,
    });

    const { context, page, foreignRequests, consoleErrors } = await newPage(browser);
    try {
      await page.goto(`${APP_URL}/register`);
      await page.getByLabel('Email').fill(`customer-${RUN_ID.toLowerCase()}@example.com`);
      await page.getByLabel('Password').fill('customer-password-1');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL('**/products');

      await page.getByLabel('Search by name or SKU').fill(RUN_ID);
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/products?q=${RUN_ID}`);
      const kettleTile = page.locator(`[data-sku="${kettle.sku}"]`);
      const teapotTile = page.locator(`[data-sku="${teapot.sku}"]`);
      await kettleTile.waitFor();
      await teapotTile.waitFor();
      assert.match(await kettleTile.textContent(), /\$29\.99/);
      assert.match(await kettleTile.textContent(), /Only 3 left/);

      await page.getByLabel(`Quantity of ${kettle.name}`).fill('3');
      await kettleTile.getByRole('button', { name: 'Add to cart' }).click();
      await teapotTile.getByRole('button', { name: 'Add to cart' }).click();
      await page.getByText('Added 1 to your cart.').waitFor();

      // Someone else's stock change between filling the cart and checking out.
      await adjustStock(admin, kettle.id, -2, 'Damaged in storage');

      await page.getByRole('link', { name: /^Cart/ }).click();
      await fillAddress(page);
      await page.getByRole('button', { name: 'Place order' }).click();
      const shortNotice = page.locator('.short-stock');
      await shortNotice.waitFor();
      const shortRow = shortNotice.locator(`[data-short-product="${kettle.id}"]`);
      assert.deepEqual(
        (await shortRow.locator('td').allTextContents()).slice(0, 3),
        [kettle.name, '3', '1'],
      );
      await shortNotice.getByRole('button', { name: `Change ${kettle.name} to 1` }).click();
      await shortRow.getByText('fixed').waitFor();
      // The field takes the cart's new quantity on the render after the notice says "fixed".
      const kettleQuantity = page.getByLabel(`Quantity of ${kettle.name}`);
      for (let i = 0; i < 50 && (await kettleQuantity.inputValue()) !== '1'; i += 1) await page.waitForTimeout(100);
      assert.equal(await kettleQuantity.inputValue(), '1');

      await page.getByRole('button', { name: 'Place order' }).click();
      await page.waitForURL('**/orders/*');
      await page.getByText(/is confirmed/).waitFor();
      assert.equal(await page.getByTestId('order-total').textContent(), '$45.49');
      const orderId = page.url().split('/').pop();

      // The summary is staff information: the customer's page never shows it; it is written all
      // the same.
      assert.equal(await page.locator('[data-summary-status]').count(), 0);
      await waitForSummary(admin, orderId, EXPECT_SUMMARY, SUMMARY_TIMEOUT_MS);
      await screenshot(page, 'customer.png');

      assert.deepEqual(foreignRequests, [], 'the app called something other than itself and the API');
      assert.deepEqual(consoleErrors, []);
    } finally {
      await context.close();
    }
  });
});

describe('admin', () => {
  test('creates a product, restocks it and fulfils an order', { timeout: 300_000 }, async () => {
    // An order waiting to be fulfilled, from a customer of its own.
    const mug = await createProduct(admin, { sku: `E2E-MUG-${RUN_ID}`, name: `Mug ${RUN_ID}`, price_cents: 800, stock: 10 });
    const buyer = await registerCustomer(`buyer-${RUN_ID.toLowerCase()}@example.com`, 'buyer-password-1');
    const waiting = await placeOrder(buyer, [{ product_id: mug.id, quantity: 2 }]);

    const { context, page, foreignRequests, consoleErrors } = await newPage(browser);
    try {
      await page.goto(`${APP_URL}/`);
      await page.getByLabel('Email').fill(ADMIN_EMAIL);
      await page.getByLabel('Password').fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const staffNav = page.getByRole('navigation', { name: 'Staff' });
      await staffNav.waitFor();

      await staffNav.getByRole('link', { name: 'Products' }).click();
      await page.getByRole('link', { name: 'New product' }).click();
      const sku = `E2E-LAMP-${RUN_ID}`;
      const name = `Desk lamp ${RUN_ID}`;
      await page.getByLabel('SKU').fill(sku);
      await page.getByLabel('Name').fill(name);
      await page.getByLabel('Description').fill('Warm light for late orders.');
      await page.getByLabel('Price').fill('24.50');
      await page.getByLabel('Opening stock').fill('2');
      await page.getByLabel('Low-stock threshold').fill('5');
      await page.getByRole('button', { name: 'Create product' }).click();
      await page.getByText('Product created.').waitFor();
      await page.getByRole('heading', { name }).waitFor();

      // Two in stock against a threshold of five: it shows in the low-stock view.
      await staffNav.getByRole('link', { name: 'Low stock' }).click();
      await page.getByRole('link', { name: `Manage ${name}` }).click();

      await page.getByLabel('Change in stock').fill('10');
      await page.getByLabel('Reason').fill('Delivery received');
      await page.getByRole('button', { name: 'Adjust stock' }).click();
      await page.getByText('Stock is now 12.').waitFor();
      await page.getByTestId('stock').getByText('Stock 12').waitFor();
      const newest = page.locator('table.movements tbody tr').first();
      await newest.getByText('Delivery received').waitFor();
      assert.equal(await newest.locator('td').nth(1).textContent(), '+10');
      assert.equal(await newest.locator('td').nth(2).textContent(), '12');
      await screenshot(page, 'admin.png');

      await staffNav.getByRole('link', { name: 'All orders' }).click();
      await page.locator(`tr[data-order-id="${waiting.id}"]`).getByRole('link').click();
      await page.locator(`[data-summary-status="${EXPECT_SUMMARY}"]`).waitFor({ timeout: SUMMARY_TIMEOUT_MS });
      await page.getByRole('button', { name: /^Fulfil order/ }).click();
      await page.getByRole('button', { name: 'Yes, fulfil' }).click();
      // The first call to a function may wait for `cargo lambda watch` to start it.
      await page.locator('.page-head').getByText('Fulfilled').waitFor({ timeout: 90_000 });
      assert.equal((await getOrder(admin, waiting.id)).status, 'fulfilled');

      assert.deepEqual(foreignRequests, [], 'the app called something other than itself and the API');
      assert.deepEqual(consoleErrors, []);
    } finally {
      await context.close();
    }
  });
});
