// End to end: the staff dashboard's figures move by exactly what this test does (orders placed
// today, products made low or out of stock), at a desktop and a phone width, with a screenshot of each.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminToken, createProduct, placeOrder, registerCustomer, salesReport, stockReport } from './support/api.mjs';
import { launchBrowser, newPage, screenshot } from './support/browser.mjs';
import { ADMIN_EMAIL, ADMIN_PASSWORD, APP_URL, RUN_ID } from './support/config.mjs';

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800, file: 'dashboard.png' },
  { name: 'phone', width: 390, height: 844, file: 'dashboard-phone.png' },
];

const usd = (cents) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);
const todayUtc = () => new Date().toISOString().slice(0, 10);

/** Today's row of the sales report (the report lists every day of its span, today last). */
async function todaysSales(token) {
  const report = await salesReport(token, 1);
  return report.days.find((d) => d.date === todayUtc()) ?? { orders: 0, revenue_cents: 0 };
}

let browser;
let admin;

before(async () => {
  browser = await launchBrowser();
  admin = await adminToken();
});

after(async () => {
  await browser?.close();
});

for (const viewport of VIEWPORTS) {
  const tag = `${RUN_ID}${viewport.name === 'phone' ? 'P' : 'D'}`;

  describe(`dashboard at ${viewport.name} width (${viewport.width}×${viewport.height})`, () => {
    test("shows today's orders and revenue and the stock counts the test caused", { timeout: 240_000 }, async () => {
      const salesBefore = await todaysSales(admin);
      const stockBefore = await stockReport(admin);

      const lamp = await createProduct(admin, { sku: `E2E-DLAMP-${tag}`, name: `Dash lamp ${tag}`, price_cents: 1250, stock: 40, low_stock_threshold: 2 });
      await createProduct(admin, { sku: `E2E-DLOW-${tag}`, name: `Dash low ${tag}`, price_cents: 500, stock: 1, low_stock_threshold: 5 });
      await createProduct(admin, { sku: `E2E-DOUT-${tag}`, name: `Dash out ${tag}`, price_cents: 500, stock: 0 });
      const buyer = await registerCustomer(`dash-${tag.toLowerCase()}@example.com`, 'dash-password-1');
      const orders = [
        await placeOrder(buyer, [{ product_id: lamp.id, quantity: 2 }]),
        await placeOrder(buyer, [{ product_id: lamp.id, quantity: 3 }]),
      ];
      const placedCents = orders.reduce((sum, o) => sum + o.total_cents, 0);
      assert.equal(placedCents, 6250);

      const expected = {
        orders: salesBefore.orders + 2,
        revenue: usd(salesBefore.revenue_cents + placedCents),
        low: stockBefore.low_stock + 2, // the low one and the empty one
        out: stockBefore.out_of_stock + 1,
      };

      const { context, page, foreignRequests, consoleErrors } = await newPage(browser, viewport);
      // The chart then draws at once, so the screenshot shows it whole.
      await page.emulateMedia({ reducedMotion: 'reduce' });
      try {
        await page.goto(`${APP_URL}/`);
        await page.getByLabel('Email').fill(ADMIN_EMAIL);
        await page.getByLabel('Password').fill(ADMIN_PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        // Staff land on the dashboard.
        await page.waitForURL('**/admin', { timeout: 60_000 });
        await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();

        await page.getByTestId('orders-today').getByText(String(expected.orders), { exact: true }).waitFor({ timeout: 60_000 });
        assert.equal(await page.getByTestId('revenue-today').textContent(), expected.revenue);
        // Each count is a link to the list, its number first (then words for screen readers).
        const low = page.getByTestId('low-stock-count');
        await low.filter({ hasText: new RegExp(`^${expected.low}\\b`) }).waitFor({ timeout: 60_000 });
        await page
          .getByTestId('out-of-stock-count')
          .filter({ hasText: new RegExp(`^${expected.out}\\b`) })
          .waitFor({ timeout: 60_000 });
        assert.equal(await low.getAttribute('href'), '/admin/low-stock');

        // The day's AI spend is shown exactly when the stock report carries it.
        const report = await stockReport(admin);
        if (report.ai) {
          await page.getByTestId('ai-spend').waitFor();
          assert.match(await page.getByTestId('ai-spent').textContent(), /^\$\d/);
        } else {
          assert.equal(await page.getByTestId('ai-spend').count(), 0);
        }

        // The chart is loaded on this page only; the picture waits for it.
        await page.locator('.sales-chart .recharts-surface').first().waitFor({ timeout: 60_000 });
        await screenshot(page, viewport.file);

        assert.deepEqual(foreignRequests, [], 'the app called something other than itself and the API');
        assert.deepEqual(consoleErrors, []);
      } finally {
        await context.close();
      }
    });
  });
}
