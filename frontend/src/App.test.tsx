import { fireEvent, screen, waitFor } from '@testing-library/react';
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

  it('starts a signed-in admin on the dashboard', async () => {
    setToken('admin-token');
    mockFetch(({ path }) => {
      if (path === '/auth/me')
        return json(200, { id: 'a', email: 'admin@shop.local', role: 'admin', created_at: '2026-01-01T00:00:00Z' });
      if (path.startsWith('/reports/sales')) return json(200, { days: [], top_products: [] });
      return json(200, {
        products: 0,
        low_stock: 0,
        out_of_stock: 0,
        stock_value_cents: 0,
        incoming_units: 0,
        summaries: { pending: 0, ready: 0, failed: 0, skipped: 0, disabled: 0 },
      });
    });
    renderWithProviders(<App />, { route: '/' });
    expect(await screen.findByRole('heading', { name: 'Dashboard', level: 1 })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Import / export' })).toBeTruthy();
  });

  it('tells a customer that staff pages are not for them', async () => {
    setToken('customer-token');
    mockFetch(() => json(200, { id: 'c', email: 'c@x.co', role: 'customer', created_at: '2026-01-01T00:00:00Z' }));
    renderWithProviders(<App />, { route: '/admin/orders' });
    expect((await screen.findByRole('alert')).textContent).toContain('staff only');
  });
});

describe('Sign-in throttling and sign-out', () => {
  it('says when to try again after a 429 with Retry-After', async () => {
    const { requests } = mockFetch(
      () =>
        new Response(JSON.stringify({ type: 'about:blank', status: 429, title: 'Too Many Requests' }), {
          status: 429,
          headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '600' },
        }),
    );
    renderWithProviders(<App />, { route: '/' });
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'a@x.co' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'wrong-password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Try again in 10 minutes');
    expect(requests.some((r) => r.method === 'POST' && r.path === '/auth/login')).toBe(true);
  });

  it('tells the API to end the session before dropping the token on sign-out', async () => {
    setToken('signed-in');
    let tokenWhenLogoutArrived: string | null = 'unset';
    const { requests } = mockFetch(({ path }) => {
      if (path === '/auth/logout') {
        tokenWhenLogoutArrived = getToken();
        return new Response(null, { status: 204 });
      }
      if (path === '/auth/me')
        return json(200, { id: 'c', email: 'c@x.co', role: 'customer', created_at: '2026-01-01T00:00:00Z' });
      return json(200, { items: [], next_cursor: null });
    });
    renderWithProviders(<App />, { route: '/products' });
    fireEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(getToken()).toBeNull());
    const logoutCall = requests.find((r) => r.path === '/auth/logout');
    expect(logoutCall?.method).toBe('POST');
    expect(logoutCall?.headers.authorization).toBe('Bearer signed-in');
    expect(tokenWhenLogoutArrived).toBe('signed-in');
  });
});
