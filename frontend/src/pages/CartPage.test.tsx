import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { setToken } from '../api/session';
import { addToCart, getCart } from '../cart/cartStore';
import { setShippingField } from '../checkout/shippingForm';
import { anOrder } from '../test/fixtures';
import { json, mockFetch, problem, type RecordedRequest } from '../test/fetchMock';
import { renderWithProviders } from '../test/render';
import { CartPage } from './CartPage';

const MUG = 'aaaaaaaa-0000-4000-8000-000000000001';
const PEN = 'aaaaaaaa-0000-4000-8000-000000000002';
const LAMP = 'aaaaaaaa-0000-4000-8000-000000000003';

function fillCart() {
  addToCart({ productId: MUG, sku: 'MUG', name: 'Blue mug', priceCents: 1250 }, 5);
  addToCart({ productId: PEN, sku: 'PEN', name: 'Pen', priceCents: 199 }, 2);
  addToCart({ productId: LAMP, sku: 'LAMP', name: 'Lamp', priceCents: 4000 }, 1);
  fillAddress();
}

const ADDRESS = { name: 'Ada Lovelace', line1: '12 Analytical Row', city: 'London', postal_code: 'N1 9GU', country: 'GB' };

function fillAddress() {
  for (const [field, value] of Object.entries(ADDRESS)) setShippingField(field as keyof typeof ADDRESS, value);
}

const shortStock = () =>
  problem(409, {
    title: 'Conflict',
    detail: 'Not enough stock for 2 products.',
    short: [
      { product_id: MUG, requested: 5, available: 2 },
      { product_id: LAMP, requested: 1, available: 0 },
    ],
  });

const orderPosts = (requests: RecordedRequest[]) => requests.filter((r) => r.method === 'POST' && r.path === '/orders');

describe('CartPage checkout', () => {
  it('lists every short line from a 409 and lets the customer fix the cart', async () => {
    setToken('tok');
    fillCart();
    const { requests } = mockFetch(({ method }) => (method === 'POST' ? shortStock() : json(200, {})));
    renderWithProviders(<CartPage />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Place order' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Not enough stock');
    const rows = within(alert).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getAllByRole('cell').slice(0, 3).map((c) => c.textContent))).toEqual([
      ['Blue mug', '5', '2'],
      ['Lamp', '1', '0'],
    ]);
    // The short line is flagged next to its own quantity input, too.
    expect(screen.getByLabelText('Quantity of Blue mug').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Only 2 available.')).toBeTruthy();

    await user.click(within(alert).getByRole('button', { name: 'Change Blue mug to 2' }));
    await user.click(within(alert).getByRole('button', { name: 'Remove Lamp' }));
    expect(getCart().map((l) => [l.name, l.quantity])).toEqual([
      ['Blue mug', 2],
      ['Pen', 2],
    ]);
    expect(within(alert).getAllByText(/fixed/)).toHaveLength(2);
    expect(within(alert).queryByRole('button')).toBeNull();
    expect(orderPosts(requests)).toHaveLength(1);
  });

  it('offers one button to take what is available for every line', async () => {
    setToken('tok');
    fillCart();
    mockFetch(() => shortStock());
    renderWithProviders(<CartPage />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Place order' }));
    await user.click(await screen.findByRole('button', { name: 'Take what is available for every line' }));
    expect(getCart().map((l) => [l.name, l.quantity])).toEqual([
      ['Blue mug', 2],
      ['Pen', 2],
    ]);
  });

  it('falls back to the detail when the 409 body has no readable list', async () => {
    setToken('tok');
    fillCart();
    mockFetch(() => problem(409, { title: 'Conflict', detail: 'Some products are short.', short: 'n/a' }));
    renderWithProviders(<CartPage />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Place order' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Some products are short.');
    expect(alert.textContent).toContain('Nothing was ordered');
  });

  it('shows a 422 line error next to that line', async () => {
    setToken('tok');
    fillCart();
    mockFetch(() =>
      problem(422, {
        title: 'Unprocessable Entity',
        detail: 'The order is invalid.',
        errors: [{ field: 'items[1].product_id', message: 'this product is no longer sold' }],
      }),
    );
    renderWithProviders(<CartPage />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Place order' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Please correct the fields marked below.');
    const penInput = screen.getByLabelText('Quantity of Pen');
    expect(penInput.getAttribute('aria-invalid')).toBe('true');
    const errorId = penInput.getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(errorId)?.textContent).toBe('This product is no longer sold.');
  });

  it('sends an Idempotency-Key, reusing it only when the outcome was unknown', async () => {
    setToken('tok');
    fillCart();
    const answers = [
      () => {
        throw new TypeError('Failed to fetch');
      },
      () => shortStock(),
      () => json(201, anOrder()),
    ];
    const me = { id: 'u', email: 'c@x.co', role: 'customer', created_at: '2026-01-01T00:00:00Z' };
    const { requests } = mockFetch(({ path }) => (path === '/auth/me' ? json(200, me) : answers.shift()!()));
    renderWithProviders(<CartPage />);
    const user = userEvent.setup();
    const placeOrder = () => user.click(screen.getByRole('button', { name: 'Place order' }));

    await placeOrder();
    await screen.findByText(/Could not reach the shop/);
    await placeOrder();
    await screen.findByText('Not enough stock.');
    await user.click(screen.getByRole('button', { name: 'Take what is available for every line' }));
    await placeOrder();
    await vi.waitFor(() => expect(getCart()).toEqual([]));

    const keys = orderPosts(requests).map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(keys.every((key) => typeof key === 'string' && key.length > 0 && key.length <= 255)).toBe(true);
    expect(keys[1]).toBe(keys[0]); // same attempt retried after no answer
    expect(keys[2]).not.toBe(keys[1]); // a new attempt after a definite 409
    expect(orderPosts(requests)[2]?.body).toEqual({
      items: [
        { product_id: MUG, quantity: 2 },
        { product_id: PEN, quantity: 2 },
      ],
      shipping: ADDRESS,
    });
  });

  it('checks the whole address in the browser, names every missing field at once, and sends nothing', async () => {
    setToken('tok');
    addToCart({ productId: MUG, sku: 'MUG', name: 'Blue mug', priceCents: 1250 }, 1);
    setShippingField('note', 'x'.repeat(501));
    const { requests } = mockFetch(() => json(201, anOrder()));
    renderWithProviders(<CartPage />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Place order' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Please correct the fields marked below.');
    for (const [label, message] of [
      ['Full name', 'Enter the name of the person the parcel is for.'],
      ['Address line 1', 'Enter the street and house number.'],
      ['Town or city', 'Enter the town or city.'],
      ['Postal code', 'Enter the postal code.'],
      ['Country', 'Choose the country the parcel goes to.'],
      ['Note for the shop (optional)', 'Keep the note to 500 characters or fewer (it has 501).'],
    ] as const) {
      const input = screen.getByLabelText(label);
      expect(input.getAttribute('aria-invalid'), label).toBe('true');
      expect(input.parentElement?.textContent, label).toContain(message);
    }
    await vi.waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Full name')));
    expect(orderPosts(requests)).toHaveLength(0);
    // Fixing a field takes its message away; the others stay until they are fixed too.
    await user.type(screen.getByLabelText('Full name'), 'Ada');
    expect(screen.getByLabelText('Full name').getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByLabelText('Town or city').getAttribute('aria-invalid')).toBe('true');
  });

  it('sends the address and the note, and shows the API\'s address errors by their fields', async () => {
    setToken('tok');
    addToCart({ productId: MUG, sku: 'MUG', name: 'Blue mug', priceCents: 1250 }, 1);
    fillAddress();
    setShippingField('note', '  Leave it at the door.  ');
    const { requests } = mockFetch(() =>
      problem(422, { title: 'x', errors: [{ field: 'shipping.postal_code', message: 'is not a postal code of GB' }] }),
    );
    renderWithProviders(<CartPage />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Place order' }));
    await vi.waitFor(() => expect(screen.getByLabelText('Postal code').getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByLabelText('Postal code').parentElement?.textContent).toContain('This is not a postal code of GB.');
    expect(orderPosts(requests)[0]?.body).toEqual({
      items: [{ product_id: MUG, quantity: 1 }],
      shipping: ADDRESS,
      note: 'Leave it at the door.',
    });
  });

  it('asks a signed-out customer to sign in before ordering', () => {
    fillCart();
    renderWithProviders(<CartPage />);
    expect(screen.queryByRole('button', { name: 'Place order' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Sign in' })).toBeTruthy();
  });
});

describe('CartPage quantities', () => {
  it('lets the customer empty the field and type a new quantity', async () => {
    fillCart();
    renderWithProviders(<CartPage />);
    const user = userEvent.setup();
    const input = screen.getByLabelText('Quantity of Blue mug');
    await user.clear(input);
    await user.type(input, '3');
    expect(getCart().find((l) => l.name === 'Blue mug')?.quantity).toBe(3);
    expect(screen.getByText('$37.50')).toBeTruthy();
  });
});
