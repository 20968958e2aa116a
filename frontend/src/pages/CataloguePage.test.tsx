import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { getCart } from '../cart/cartStore';
import { aProduct } from '../test/fixtures';
import { json, mockFetch } from '../test/fetchMock';
import { renderWithProviders } from '../test/render';
import { CataloguePage } from './CataloguePage';

const mug = aProduct();
const pen = aProduct({ id: 'p-pen', sku: 'PEN-1', name: 'Pen', price_cents: 199, stock: 2, low_stock: true });
const lamp = aProduct({ id: 'p-lamp', sku: 'LAMP-1', name: 'Lamp', price_cents: 4000, stock: 0, low_stock: true });

describe('CataloguePage', () => {
  it('searches, follows next_cursor, and shows price and availability', async () => {
    const { requests } = mockFetch(({ path }) =>
      path.includes('cursor=c2')
        ? json(200, { items: [lamp], next_cursor: null })
        : json(200, { items: [mug, pen], next_cursor: 'c2' }),
    );
    renderWithProviders(<CataloguePage />);
    const user = userEvent.setup();
    await screen.findByText('Blue mug');
    await user.type(screen.getByLabelText('Search by name or SKU'), 'e{Enter}');
    await vi.waitFor(() => expect(requests.at(-1)?.path).toBe('/products?q=e'));

    await user.click(await screen.findByRole('button', { name: 'More products' }));
    await screen.findByText('Lamp');
    expect(requests.at(-1)?.path).toBe('/products?q=e&cursor=c2');
    expect(screen.queryByRole('button', { name: 'More products' })).toBeNull();

    const tiles = within(screen.getByRole('list', { name: 'Products' })).getAllByRole('listitem');
    expect(tiles.map((tile) => tile.querySelector('.price')?.textContent)).toEqual(['$12.50', '$1.99', '$40.00']);
    expect(tiles.map((tile) => tile.querySelector('.availability')?.textContent)).toEqual([
      'In stock (10)',
      'Only 2 left',
      'Out of stock',
    ]);
    expect(within(tiles[2]!).getByRole('button', { name: 'Add to cart' })).toHaveProperty('disabled', true);
  });

  it('adds a chosen quantity to the cart', async () => {
    mockFetch(() => json(200, { items: [mug], next_cursor: null }));
    renderWithProviders(<CataloguePage />);
    const user = userEvent.setup();
    const quantity = await screen.findByLabelText('Quantity of Blue mug');
    await user.clear(quantity);
    await user.type(quantity, '4');
    await user.click(screen.getByRole('button', { name: 'Add to cart' }));
    expect(getCart()).toEqual([{ productId: mug.id, sku: 'MUG-01', name: 'Blue mug', priceCents: 1250, quantity: 4 }]);
    expect(screen.getByText(/Added 4 to your cart/)).toBeTruthy();
  });

  it('shows an error when the catalogue cannot be loaded', async () => {
    mockFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    renderWithProviders(<CataloguePage />);
    expect((await screen.findByRole('alert')).textContent).toContain('Could not reach the shop');
  });
});
