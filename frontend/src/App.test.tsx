import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { getToken, setToken } from './api/session';
import { App } from './App';
import { json, mockFetch, problem } from './test/fetchMock';
import { renderWithProviders } from './test/render';

describe('App session', () => {
  it('drops a rejected token and shows the sign-in form instead of the page', async () => {
    setToken('revoked');
    mockFetch(({ path }) =>
      path.startsWith('/orders')
        ? problem(401, { title: 'Unauthorized', detail: 'Invalid token.' })
        : problem(401, { title: 'Unauthorized' }),
    );
    renderWithProviders(<App />, { route: '/orders' });
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(getToken()).toBeNull();
    expect(screen.queryByRole('link', { name: 'My orders' })).toBeNull();
    expect(screen.getByRole('alert').textContent).toContain('Your session has ended');
  });

  it('shows the sign-in form on the landing page when signed out', async () => {
    mockFetch(() => json(200, { items: [], next_cursor: null }));
    renderWithProviders(<App />, { route: '/' });
    expect(screen.getByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByLabelText('Email')).toBeTruthy();
    expect(screen.getByLabelText('Password')).toBeTruthy();
  });

  it('shows staff navigation to an admin only', async () => {
    setToken('admin-token');
    mockFetch(({ path }) =>
      path === '/auth/me'
        ? json(200, { id: 'a', email: 'admin@shop.local', role: 'admin', created_at: '2026-01-01T00:00:00Z' })
        : json(200, { items: [], next_cursor: null }),
    );
    renderWithProviders(<App />, { route: '/products' });
    expect(await screen.findByRole('link', { name: 'All orders' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Low stock' })).toBeTruthy();
  });

  it('tells a customer that staff pages are not for them', async () => {
    setToken('customer-token');
    mockFetch(() => json(200, { id: 'c', email: 'c@x.co', role: 'customer', created_at: '2026-01-01T00:00:00Z' }));
    renderWithProviders(<App />, { route: '/admin/orders' });
    expect((await screen.findByRole('alert')).textContent).toContain('staff only');
  });
});
