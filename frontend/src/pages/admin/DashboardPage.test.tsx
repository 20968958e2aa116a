import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setToken } from '../../api/session';
import { json, mockFetch, problem } from '../../test/fetchMock';
import { renderWithProviders } from '../../test/render';
import { DashboardPage, todayUtc } from './DashboardPage';

const sales = {
  days: [
    { date: '2026-11-30', orders: 3, units: 5, revenue_cents: 4500, cancelled: 1 },
    { date: '2026-12-01', orders: 2, units: 2, revenue_cents: 2550, cancelled: 0 },
  ],
  top_products: [
    { product_id: '11111111-1111-4111-8111-111111111111', sku: 'MUG-01', name: 'Blue mug', units: 4, revenue_cents: 5000 },
  ],
};

const stock = {
  products: 12,
  low_stock: 4,
  out_of_stock: 1,
  stock_value_cents: 123456,
  incoming_units: 30,
  summaries: { pending: 2, ready: 7, failed: 3, skipped: 0, disabled: 0 },
};

describe('DashboardPage', () => {
  it('shows sales per day as a table, top products, stock counts linking to the list and summary health', async () => {
    setToken('admin-token');
    const { requests } = mockFetch(({ path }) =>
      path.startsWith('/reports/sales') ? json(200, sales) : json(200, stock),
    );
    renderWithProviders(<DashboardPage />);

    expect((await screen.findByTestId('orders-total')).textContent).toBe('5');
    expect(screen.getByTestId('revenue-total').textContent).toBe('$70.50');
    const table = screen.getByRole('table', { name: 'Orders and revenue per day (UTC)' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1]!).getAllByRole('cell').map((c) => c.textContent)).toEqual(['3', '1', '$45.00']);
    expect(within(rows[2]!).getByRole('rowheader').textContent).toBe('2026-12-01');

    const mug = screen.getByRole('link', { name: 'Blue mug' });
    expect(mug.getAttribute('href')).toBe('/admin/products/11111111-1111-4111-8111-111111111111');
    expect(mug.closest('li')?.textContent).toContain('4 sold, $50.00');

    const low = await screen.findByTestId('low-stock-count');
    expect(low.getAttribute('href')).toBe('/admin/low-stock');
    expect(low.textContent).toContain('4');
    expect(screen.getByTestId('out-of-stock-count').textContent).toContain('1');
    expect(screen.getByTestId('summaries-pending').textContent).toBe('2');
    expect(screen.getByTestId('summaries-failed').textContent).toBe('3');
    expect(screen.getByText(/whose summary failed/)).toBeTruthy();

    expect(requests.map((r) => r.path).sort()).toEqual(['/reports/sales?days=30', '/reports/stock']);
    expect(requests.every((r) => r.headers.authorization === 'Bearer admin-token')).toBe(true);
  });

  it('says so when a period has no sales, and shows a failed report as an error', async () => {
    setToken('admin-token');
    mockFetch(({ path }) =>
      path.startsWith('/reports/sales')
        ? json(200, { days: [], top_products: [] })
        : problem(503, { title: 'Service Unavailable', detail: 'The database is not answering.' }),
    );
    renderWithProviders(<DashboardPage />);
    expect(await screen.findByText('No sales in this period.')).toBeTruthy();
    expect((await screen.findByRole('alert')).textContent).toContain('The database is not answering.');
  });

  it("shows today's orders and revenue (UTC) from the sales report", async () => {
    setToken('admin-token');
    const today = { date: todayUtc(), orders: 4, units: 6, revenue_cents: 9900, cancelled: 1 };
    mockFetch(({ path }) =>
      path.startsWith('/reports/sales') ? json(200, { ...sales, days: [...sales.days.filter((d) => d.date !== today.date), today] }) : json(200, stock),
    );
    renderWithProviders(<DashboardPage />);
    expect((await screen.findByTestId('orders-today')).textContent).toBe('4');
    expect(screen.getByTestId('revenue-today').textContent).toBe('$99.00');
  });

  it('shows no AI spend when the report has none', async () => {
    setToken('admin-token');
    mockFetch(({ path }) => (path.startsWith('/reports/sales') ? json(200, sales) : json(200, stock)));
    renderWithProviders(<DashboardPage />);
    await screen.findByTestId('low-stock-count');
    expect(screen.queryByTestId('ai-spend')).toBeNull();
    expect(screen.queryByText(/AI spend/)).toBeNull();
  });

  it("shows the day's AI spend against the budget, and says when it is spent", async () => {
    setToken('admin-token');
    let ai: { spent_today_usd: number; daily_budget_usd: number | null } = { spent_today_usd: 0.0123, daily_budget_usd: 2 };
    mockFetch(({ path }) => (path.startsWith('/reports/sales') ? json(200, sales) : json(200, { ...stock, ai })));
    const first = renderWithProviders(<DashboardPage />);
    const spend = await screen.findByTestId('ai-spend');
    expect(within(spend).getByTestId('ai-spent').textContent).toBe('$0.0123');
    expect(within(spend).getByTestId('ai-budget').textContent).toBe('$2.00');
    expect(within(spend).getByText('(1%)')).toBeTruthy();
    expect(within(spend).queryByRole('status')).toBeNull();
    first.unmount();

    ai = { spent_today_usd: 2.5, daily_budget_usd: 2 };
    const second = renderWithProviders(<DashboardPage />);
    expect((await screen.findByTestId('ai-spend')).textContent).toContain('$2.50');
    expect(screen.getByRole('status').textContent).toContain('new order summaries are skipped');
    second.unmount();

    ai = { spent_today_usd: 0.5, daily_budget_usd: null };
    renderWithProviders(<DashboardPage />);
    expect((await screen.findByTestId('ai-spend')).textContent).toContain('no daily budget set');
    expect(screen.queryByTestId('ai-budget')).toBeNull();
  });
});
