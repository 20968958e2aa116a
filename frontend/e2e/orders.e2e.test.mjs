// End to end, at a desktop and a phone width: checkout with an address, the customer's and the
// staff order pages, confirmations, the staff order table, prices with a decimal comma, plain
// field errors, sign-in that returns where it was asked, and an expired session mid-edit.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminToken, createProduct, placeOrder, registerCustomer } from './support/api.mjs';
import { launchBrowser, newPage, screenshot } from './support/browser.mjs';
import { ADDRESS, fillAddress } from './support/checkout.mjs';
import { ADMIN_EMAIL, ADMIN_PASSWORD, APP_URL, RUN_ID } from './support/config.mjs';

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
];

let browser;
let admin;

before(async () => {
  browser = await launchBrowser();
  admin = await adminToken();
});

after(async () => {
  await browser?.close();
});

async function signIn(page, email, password) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The header is at the very top and the focused element lies inside the viewport. */
async function assertHeaderAndFocusInView(page, viewport) {
  // The app moves focus to the new page's heading once it has rendered, a tick after the title.
  await page.waitForFunction(() => document.activeElement?.closest('#main'), null, { timeout: 2000 }).catch(() => {});
  const header = await page.locator('.site-header').boundingBox();
  assert.ok(header && Math.abs(header.y) < 1, `header at the top, not ${header?.y}px off`);
  const focused = await page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const box = el.getBoundingClientRect();
    return { tag: el.tagName, top: box.top, bottom: box.bottom };
  });
  assert.ok(focused, 'something has focus after navigation');
  assert.ok(focused.top >= header.height - 1 && focused.top < viewport.height, `focused ${focused.tag} is visible`);
}

for (const viewport of VIEWPORTS) {
  const tag = `${RUN_ID}${viewport.name === 'phone' ? 'P' : 'D'}`;

  describe(`orders at ${viewport.name} width (${viewport.width}×${viewport.height})`, () => {
    test('a customer checks out with an address and note; notices follow the order\'s state', { timeout: 240_000 }, async () => {
      const lamp = await createProduct(admin, { sku: `E2E-LAMP-${tag}`, name: `Lamp ${tag}`, price_cents: 1999, stock: 5 });
      const email = `shopper-${tag.toLowerCase()}@example.com`;
      await registerCustomer(email, 'shopper-password-1');
      const { context, page, foreignRequests, consoleErrors } = await newPage(browser, viewport);
      try {
        // Signed out, from the cart: signing in comes back to the cart.
        await page.goto(`${APP_URL}/products?q=${tag}`);
        await page.locator(`[data-sku="${lamp.sku}"]`).getByRole('button', { name: 'Add to cart' }).click();
        await page.getByRole('link', { name: /^Cart/ }).click();
        await page.waitForFunction((title) => document.title === title, 'Your cart · The shop');
        await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
        await signIn(page, email, 'shopper-password-1');
        await page.waitForURL('**/cart');

        // All problems at once, in plain words, before any request.
        await page.getByLabel('Note for the shop (optional)').fill('x'.repeat(501));
        await page.getByRole('button', { name: 'Place order' }).click();
        await page.getByText('Please correct the fields marked below.').waitFor();
        for (const message of [
          'Enter the name of the person the parcel is for.',
          'Enter the street and house number.',
          'Enter the town or city.',
          'Enter the postal code.',
          'Choose the country the parcel goes to.',
          'Keep the note to 500 characters or fewer (it has 501).',
        ])
          await page.getByText(message).waitFor();
        assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'name');

        await fillAddress(page, 'Please ring twice.');
        if (viewport.name === 'desktop') await screenshot(page, 'checkout.png');
        await page.getByRole('button', { name: 'Place order' }).click();
        await page.waitForURL('**/orders/*');
        const notice = page.getByText(/Thank you! Order .* is confirmed/);
        await notice.waitFor();
        await page.waitForFunction(() => /^Order [0-9a-f]{8} · The shop$/.test(document.title));
        assert.match(await page.getByTestId('shipping-address').textContent(), /Ada Lovelace.*12 Analytical Row.*N1 9GU London.*United Kingdom/);
        await page.getByText('Please ring twice.').waitFor();

        // Cancel asks first; afterwards the notice is about the cancellation, also after a reload.
        await page.getByRole('button', { name: /^Cancel order/ }).click();
        await page.getByRole('group', { name: /cannot be undone/ }).waitFor();
        await page.getByRole('button', { name: 'Yes, cancel order' }).click();
        await page.getByText(/This order was cancelled/).waitFor();
        assert.equal(await notice.count(), 0, 'no stale "is confirmed"');
        await page.reload();
        await page.getByText(/This order was cancelled/).waitFor();
        assert.equal(await page.getByText(/is confirmed/).count(), 0);

        assert.deepEqual(foreignRequests, []);
        assert.deepEqual(consoleErrors, []);
      } finally {
        await context.close();
      }
    });

    test('staff find an order in the table, open it from a sign-in, fulfil it after confirming, print its slip', { timeout: 240_000 }, async () => {
      const kettle = await createProduct(admin, { sku: `E2E-KET-${tag}`, name: `Kettle ${tag}`, price_cents: 2500, stock: 9 });
      const buyerEmail = `buyer-${tag.toLowerCase()}@example.com`;
      const buyer = await registerCustomer(buyerEmail, 'buyer-password-1');
      const order = await placeOrder(buyer, [{ product_id: kettle.id, quantity: 2 }], {
        shipping: { ...ADDRESS, line2: 'Flat 3' },
        note: 'Gift wrap, please.',
      });
      const { context, page, foreignRequests, consoleErrors } = await newPage(browser, viewport);
      try {
        // A link to the order page while signed out: sign in, land on that order.
        await page.goto(`${APP_URL}/admin/orders/${order.id}`);
        await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
        await page.waitForURL(`**/admin/orders/${order.id}`);
        await page.getByTestId('customer-email').getByText(buyerEmail).waitFor();
        await page.getByText('Gift wrap, please.').first().waitFor();
        await page.locator('.timeline [data-event-type="created"]').waitFor();

        // Fulfil asks first; a "Not yet" changes nothing.
        await page.getByRole('button', { name: /^Fulfil order/ }).click();
        await page.getByRole('button', { name: 'Not yet' }).click();
        await page.getByRole('button', { name: /^Fulfil order/ }).click();
        await page.getByRole('button', { name: 'Yes, fulfil' }).click();
        await page.locator('.page-head').getByText('Fulfilled').waitFor();
        await page.locator('.timeline [data-event-type="fulfilled"]').waitFor();
        if (viewport.name === 'desktop') await screenshot(page, 'order-page.png');

        // The packing slip is what prints, and only it.
        await page.emulateMedia({ media: 'print' });
        assert.ok(await page.locator('.packing-slip').isVisible());
        assert.ok(!(await page.locator('.site-header').isVisible()));
        assert.match(await page.locator('.packing-slip').textContent(), new RegExp(`${kettle.sku}.*Kettle`));
        await page.emulateMedia({ media: 'screen' });
        assert.ok(!(await page.locator('.packing-slip').isVisible()));

        // The table: search by the buyer's email and filter by status.
        const staffNav = page.getByRole('navigation', { name: 'Staff' });
        await staffNav.getByRole('link', { name: 'All orders' }).click();
        await page.waitForURL('**/admin/orders');
        await page.waitForFunction((title) => document.title === title, 'All orders · The shop');
        await assertHeaderAndFocusInView(page, viewport);
        await page.getByLabel('Search').fill(buyerEmail);
        await page.getByLabel('Status').selectOption('fulfilled');
        await page.getByRole('button', { name: 'Apply' }).click();
        await page.getByText('Orders 1–1 (filtered)').waitFor();
        await page.locator(`tr[data-order-id="${order.id}"]`).waitFor();
        await page.getByLabel('Status').selectOption('cancelled');
        await page.getByRole('button', { name: 'Apply' }).click();
        await page.getByText('No orders match these filters.').waitFor();
        await page.getByRole('button', { name: 'Clear filters' }).click();
        await page.locator(`tr[data-order-id="${order.id}"]`).waitFor();
        if (viewport.name === 'desktop') await screenshot(page, 'staff-orders.png');

        assert.deepEqual(foreignRequests, []);
        assert.deepEqual(consoleErrors, []);
      } finally {
        await context.close();
      }
    });

    test('prices take a decimal comma, forms name every problem, an expired session keeps the edit', { timeout: 240_000 }, async () => {
      const { context, page, foreignRequests, consoleErrors } = await newPage(browser, viewport);
      try {
        await page.goto(`${APP_URL}/`);
        await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
        await page.getByRole('navigation', { name: 'Staff' }).waitFor();
        await page.goto(`${APP_URL}/admin/products/new`);
        await page.waitForFunction((title) => document.title === title, 'New product · The shop');

        // An empty form: every field's problem at once, no request.
        await page.getByRole('button', { name: 'Create product' }).click();
        await page.getByText('Enter a SKU, the code staff use for this product.').waitFor();
        await page.getByText('Enter the name customers will see.').waitFor();
        await page.getByText('Enter a price, such as 12.50.').waitFor();

        const sku = `E2E-COMMA-${tag}`;
        await page.getByLabel('SKU').fill(sku);
        await page.getByLabel('Name').fill(`Comma mug ${tag}`);
        await page.getByLabel('Price').fill('12,50');
        await page.getByRole('button', { name: 'Create product' }).click();
        await page.getByText('Product created.').waitFor();
        await page.locator('.product-facts').getByText('$12.50').waitFor();

        // "Product created." goes with the first edit; it does not come back on reload.
        await page.getByLabel('Name').fill(`Comma mug ${tag} large`);
        assert.equal(await page.getByText('Product created.').count(), 0);

        // The session ends mid-edit: sign in again in place, and the edit is still there.
        await page.evaluate(() => sessionStorage.setItem('shop.access_token', 'expired.token.value'));
        await page.getByRole('button', { name: 'Save changes' }).click();
        const again = page.getByRole('region', { name: 'Sign in again' });
        await again.waitFor();
        await again.getByLabel('Email').fill(ADMIN_EMAIL);
        await again.getByLabel('Password').fill(ADMIN_PASSWORD);
        await again.getByRole('button', { name: 'Sign in' }).click();
        await again.waitFor({ state: 'detached' });
        assert.equal(await page.getByLabel('Name').inputValue(), `Comma mug ${tag} large`);
        await page.getByRole('button', { name: 'Save changes' }).click();
        await page.getByText('Saved.').waitFor();
        // "Saved." belongs to the saved form: the next edit removes it.
        await page.getByLabel('Price').fill('13,75');
        assert.equal(await page.getByText('Saved.').count(), 0);
        await page.reload();
        assert.equal(await page.getByText('Product created.').count(), 0);

        assert.deepEqual(foreignRequests, []);
        assert.deepEqual(consoleErrors, []);
      } finally {
        await context.close();
      }
    });
  });
}
