import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { setToken } from '../../api/session';
import { aProduct } from '../../test/fixtures';
import { json, mockFetch } from '../../test/fetchMock';
import { renderWithProviders } from '../../test/render';
import { ProductManagePage } from './ProductManagePage';

describe('ProductManagePage', () => {
  it('shows incoming beside stock and edits the reorder quantity', async () => {
    setToken('admin');
    const cup = aProduct({ id: 'p-cup', name: 'Cup', stock: 3, incoming: 20, reorder_quantity: 12 });
    const { requests } = mockFetch(({ method, path, body }) => {
      if (path.startsWith('/products/p-cup/stock-movements')) return json(200, { items: [], next_cursor: null });
      if (method === 'PATCH') return json(200, { ...cup, ...(body as object) });
      return json(200, cup);
    });
    renderWithProviders(
      <Routes>
        <Route path="/admin/products/:id" element={<ProductManagePage />} />
      </Routes>,
      { route: '/admin/products/p-cup' },
    );
    expect((await screen.findByTestId('incoming')).textContent).toBe('Incoming 20');
    const reorder = screen.getByLabelText('Reorder quantity') as HTMLInputElement;
    expect(reorder.value).toBe('12');
    fireEvent.change(reorder, { target: { value: '30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(requests.some((r) => r.method === 'PATCH')).toBe(true));
    expect((requests.find((r) => r.method === 'PATCH')?.body as { reorder_quantity: number }).reorder_quantity).toBe(30);
    expect(await screen.findByText('Saved.')).toBeTruthy();
  });
});
