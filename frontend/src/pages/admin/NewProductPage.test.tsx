import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { setToken } from '../../api/session';
import { aProduct } from '../../test/fixtures';
import { json, mockFetch, problem } from '../../test/fetchMock';
import { renderWithProviders } from '../../test/render';
import { NewProductPage } from './NewProductPage';

function errorNextTo(label: string): string | null | undefined {
  const input = screen.getByLabelText(label);
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ');
  return ids.map((id) => document.getElementById(id)).find((el) => el?.classList.contains('field-error'))?.textContent;
}

describe('NewProductPage', () => {
  it('shows API field errors next to SKU and price', async () => {
    setToken('admin');
    mockFetch(() =>
      problem(422, {
        title: 'Unprocessable Entity',
        detail: 'The product is invalid.',
        errors: [
          { field: 'sku', message: 'only letters, digits, - and _' },
          { field: 'price_cents', message: 'must be at most 100000000' },
        ],
      }),
    );
    renderWithProviders(<NewProductPage />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('SKU'), 'LAMP-2');
    await user.type(screen.getByLabelText('Name'), 'Lamp');
    await user.type(screen.getByLabelText('Price'), '999999');
    await user.click(screen.getByRole('button', { name: 'Create product' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Please correct the fields marked below.');
    expect(errorNextTo('SKU')).toBe('Only letters, digits, - and _.');
    expect(errorNextTo('Price')).toBe('This must be at most 100000000.');
    expect(errorNextTo('Name')).toBeUndefined();
  });

  it('checks the price before asking the API, and sends cents', async () => {
    setToken('admin');
    const { requests } = mockFetch(() => json(201, aProduct({ sku: 'LAMP-1', name: 'Lamp', price_cents: 1999 })));
    renderWithProviders(<NewProductPage />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('SKU'), 'LAMP-1');
    await user.type(screen.getByLabelText('Name'), 'Lamp');
    await user.type(screen.getByLabelText('Price'), '19.9x');
    await user.click(screen.getByRole('button', { name: 'Create product' }));
    expect(errorNextTo('Price')).toBe('Enter the price as a number, such as 12.50.');
    expect(requests).toHaveLength(0);

    await user.clear(screen.getByLabelText('Price'));
    await user.type(screen.getByLabelText('Price'), '19.99');
    await user.clear(screen.getByLabelText('Opening stock'));
    await user.type(screen.getByLabelText('Opening stock'), '7');
    await user.click(screen.getByRole('button', { name: 'Create product' }));
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]?.body).toEqual({ sku: 'LAMP-1', name: 'Lamp', price_cents: 1999, stock: 7, low_stock_threshold: 5 });
  });

  it('flags every problem of an empty form at once, in plain words, before any request', async () => {
    setToken('admin');
    const { requests } = mockFetch(() => json(201, aProduct()));
    renderWithProviders(<NewProductPage />);
    const user = userEvent.setup();
    await user.clear(screen.getByLabelText('Opening stock'));
    await user.type(screen.getByLabelText('Opening stock'), '2.5');
    await user.click(screen.getByRole('button', { name: 'Create product' }));
    expect(errorNextTo('SKU')).toBe('Enter a SKU, the code staff use for this product.');
    expect(errorNextTo('Name')).toBe('Enter the name customers will see.');
    expect(errorNextTo('Price')).toBe('Enter a price, such as 12.50.');
    expect(errorNextTo('Opening stock')).toBe('Enter a whole number, 0 or more, without a decimal mark.');
    expect(requests).toHaveLength(0);
  });

  it('reads a decimal comma as cents: 12,50 is 1250 cents', async () => {
    setToken('admin');
    const { requests } = mockFetch(() => json(201, aProduct()));
    renderWithProviders(<NewProductPage />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('SKU'), 'MUG-2');
    await user.type(screen.getByLabelText('Name'), 'Mug');
    await user.type(screen.getByLabelText('Price'), '12,50');
    await user.click(screen.getByRole('button', { name: 'Create product' }));
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    expect((requests[0]?.body as { price_cents: number }).price_cents).toBe(1250);
  });

  it('sends a reorder quantity when one is given, and refuses one that is not a whole number', async () => {
    setToken('admin');
    const { requests } = mockFetch(() => json(201, aProduct()));
    renderWithProviders(<NewProductPage />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('SKU'), 'CUP-1');
    await user.type(screen.getByLabelText('Name'), 'Cup');
    await user.type(screen.getByLabelText('Price'), '6.50');
    await user.type(screen.getByLabelText('Reorder quantity'), '2.5');
    await user.click(screen.getByRole('button', { name: 'Create product' }));
    expect(errorNextTo('Reorder quantity')).toBe('Enter a whole number, 0 or more, without a decimal mark.');
    expect(requests).toHaveLength(0);
    await user.clear(screen.getByLabelText('Reorder quantity'));
    await user.type(screen.getByLabelText('Reorder quantity'), '24');
    await user.click(screen.getByRole('button', { name: 'Create product' }));
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    expect((requests[0]?.body as { reorder_quantity: number }).reorder_quantity).toBe(24);
  });
});
