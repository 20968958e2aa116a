// End to end: a product runs low, Restock suggests it, staff turn the suggestion into a purchase
// order, receive it in two parts (an over-receipt refused in between), and the stock and its
// ledger show the receipts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminToken, createProduct, stockMovements } from './support/api.mjs';
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

describe('restock', () => {
  test('low stock → suggestion → purchase order → receive → stock up, ledger entry visible', { timeout: 300_000 }, async () => {
    // 2 in stock against a threshold of 5, no sales: the rule asks for 4 (to lift it above the
    // threshold), and the reorder quantity raises that to 10.
    const name = `Teacup ${RUN_ID}`;
    const cup = await createProduct(admin, {
      sku: `E2E-CUP-${RUN_ID}`,
      name,
      price_cents: 650,
      stock: 2,
      low_stock_threshold: 5,
      reorder_quantity: 10,
    });

    const { context, page, foreignRequests, consoleErrors } = await newPage(browser);
    try {
      await page.goto(`${APP_URL}/`);
      await page.getByLabel('Email').fill(ADMIN_EMAIL);
      await page.getByLabel('Password').fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const staffNav = page.getByRole('navigation', { name: 'Staff' });
      await staffNav.waitFor();

      // Low, and nothing on its way yet.
      await staffNav.getByRole('link', { name: 'Low stock' }).click();
      const lowRow = page.locator(`tr[data-sku="${cup.sku}"]`);
      await lowRow.waitFor({ timeout: 90_000 });
      assert.equal(await lowRow.getByTestId('incoming').textContent(), '0');

      await staffNav.getByRole('link', { name: 'Restock' }).click();
      const suggestion = page.locator(`tr[data-suggestion="${cup.id}"]`);
      await suggestion.waitFor({ timeout: 90_000 });
      assert.equal(await suggestion.getByTestId('suggested').textContent(), '10');
      assert.match(await suggestion.textContent(), /at or below its threshold of 5/);
      await page.getByRole('heading', { name: 'AI restock note' }).waitFor();

      await suggestion.getByRole('checkbox', { name: `Order ${name}` }).check();
      await page.getByLabel('Supplier').fill(`Potteries ${RUN_ID}`);
      await page.getByRole('button', { name: 'Create purchase order' }).click();
      await page.waitForURL('**/admin/purchase-orders/*', { timeout: 90_000 });
      await page.getByText('Purchase order created.').waitFor();
      const poId = page.url().split('/').pop();
      assert.equal(await page.getByTestId('supplier').textContent(), `Potteries ${RUN_ID}`);

      // Part of it arrives.
      await page.getByLabel(`Arrived now of ${name}`).fill('4');
      await page.getByRole('button', { name: 'Receive' }).click();
      await page.getByText('Received 4 units; stock is up.').waitFor({ timeout: 90_000 });
      const line = page.locator(`tr[data-product-id="${cup.id}"]`);
      await line.getByTestId('received').getByText('4').waitFor();

      // More than is outstanding is refused, and nothing is received.
      await page.getByLabel(`Arrived now of ${name}`).fill('7');
      await page.getByRole('button', { name: 'Receive' }).click();
      await line.getByText('Only 6 still outstanding.').waitFor();
      await page.getByRole('alert').getByText(/nothing was received/).waitFor();

      // Meanwhile the product shows what is still on its way, and the receipt in its ledger.
      await line.getByRole('link', { name }).click();
      await page.getByTestId('stock').getByText('Stock 6').waitFor();
      assert.equal(await page.getByTestId('incoming').textContent(), 'Incoming 6');
      const newest = page.locator('table.movements tbody tr').first();
      await newest.getByText('received').waitFor();
      assert.equal(await newest.locator('td').nth(1).textContent(), '+4');
      await newest.getByRole('link', { name: /purchase order/ }).click();

      // The rest arrives: the order is received in full.
      await page.getByLabel(`Arrived now of ${name}`).fill('6');
      await page.getByRole('button', { name: 'Receive' }).click();
      await page.locator('.page-head').getByText('Received').waitFor({ timeout: 90_000 });
      await page.getByText('Every line has been received.').waitFor();
      assert.equal(await page.getByLabel(`Arrived now of ${name}`).count(), 0);

      await line.getByRole('link', { name }).click();
      await page.getByTestId('stock').getByText('Stock 12').waitFor();
      assert.equal(await page.getByTestId('incoming').textContent(), 'Incoming 0');
      const rows = page.locator('table.movements tbody tr');
      // (The page may show the cached ledger first; the fresh one has the new receipt on top.)
      await rows.first().locator('td').nth(1).getByText('+6', { exact: true }).waitFor();
      assert.equal(await rows.first().locator('td').nth(2).textContent(), '12');
      assert.match(await rows.first().locator('td').nth(3).textContent(), /received/);

      // The ledger itself: two `received` movements naming the purchase order.
      const received = (await stockMovements(admin, cup.id)).items.filter((m) => m.reason === 'received');
      assert.deepEqual(received.map((m) => [m.delta, m.purchase_order_id]), [[6, poId], [4, poId]]);

      // No longer low, so no longer suggested.
      await staffNav.getByRole('link', { name: 'Restock' }).click();
      await page.getByRole('heading', { name: 'Suggestions' }).waitFor();
      // (A cached list may show first; the fresh one drops the row.)
      await page.locator(`tr[data-suggestion="${cup.id}"]`).waitFor({ state: 'detached' });

      assert.deepEqual(foreignRequests, [], 'the app called something other than itself and the API');
      assert.deepEqual(consoleErrors, []);
    } finally {
      await context.close();
    }
  });
});
