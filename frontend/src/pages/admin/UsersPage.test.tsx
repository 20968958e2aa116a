import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setToken } from '../../api/session';
import { App } from '../../App';
import { json, mockFetch, problem } from '../../test/fetchMock';
import { renderWithProviders } from '../../test/render';

const admin = { id: 'a1', email: 'boss@shop.local', role: 'admin', disabled: false, created_at: '2026-01-01T00:00:00Z' };
const customer = { id: 'c1', email: 'ann@x.co', role: 'customer', disabled: false, created_at: '2026-01-02T00:00:00Z' };

function staffApi(patch: (id: string, body: unknown) => Response) {
  return mockFetch(({ method, path, body }) => {
    if (path === '/auth/me') return json(200, { ...admin, disabled: undefined });
    if (method === 'PATCH') return patch(path.split('/').pop() ?? '', body);
    return json(200, { items: [customer, admin], next_cursor: null });
  });
}

describe('Users page', () => {
  it('lists accounts, reached from the staff navigation, and searches by email and role', async () => {
    setToken('admin-token');
    const { requests } = staffApi(() => json(500, {}));
    renderWithProviders(<App />, { route: '/products' });
    fireEvent.click(await screen.findByRole('link', { name: 'Users' }));
    expect(await screen.findByRole('cell', { name: 'ann@x.co' })).toBeTruthy();
    await waitFor(() => expect(document.title).toContain('Users'));
    fireEvent.change(screen.getByLabelText('Email contains'), { target: { value: 'ann' } });
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'customer' } });
    await waitFor(() => expect(requests.some((r) => r.path === '/users?q=ann&role=customer&limit=50')).toBe(true));
  });

  it('promotes a customer only after confirmation', async () => {
    setToken('admin-token');
    const { requests } = staffApi((id, body) => json(200, { ...customer, id, ...(body as object) }));
    renderWithProviders(<App />, { route: '/admin/users' });
    const row = (await screen.findByRole('cell', { name: 'ann@x.co' })).closest('tr') as HTMLElement;
    fireEvent.click(within(row).getByRole('button', { name: 'Make staff' }));
    expect(requests.some((r) => r.method === 'PATCH')).toBe(false);
    fireEvent.click(within(row).getByRole('button', { name: 'Yes, make staff' }));
    await waitFor(() => {
      const patch = requests.find((r) => r.method === 'PATCH');
      expect(patch?.path).toBe('/users/c1');
      expect(patch?.body).toEqual({ role: 'admin' });
    });
  });

  it('shows the last-admin 409 beside the control that caused it', async () => {
    setToken('admin-token');
    staffApi(() =>
      problem(409, { title: 'Conflict', detail: 'This change would leave the shop without an active admin.' }),
    );
    renderWithProviders(<App />, { route: '/admin/users' });
    const row = (await screen.findByRole('cell', { name: 'boss@shop.local' })).closest('tr') as HTMLElement;
    fireEvent.click(within(row).getByRole('button', { name: 'Disable' }));
    fireEvent.click(within(row).getByRole('button', { name: 'Yes, disable' }));
    expect((await within(row).findByText(/without an active admin/)).textContent).toBeTruthy();
  });
});
