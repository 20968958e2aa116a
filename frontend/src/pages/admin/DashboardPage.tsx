import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { Link } from 'react-router';
import { queryKeys } from '../../api/queryKeys';
import { getSalesReport, getStockReport, type AiSpend, type SalesReport, type StockReport } from '../../api/reports';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { formatMoney } from '../../money';
import { usePageTitle } from '../../usePageTitle';

// The chart library is large: only staff who open the dashboard download it.
const SalesChart = lazy(() => import('../../dashboard/SalesChart').then((module) => ({ default: module.SalesChart })));

const REPORT_DAYS = 30;

export function DashboardPage() {
  usePageTitle('Dashboard');
  const sales = useQuery({ queryKey: queryKeys.salesReport(REPORT_DAYS), queryFn: () => getSalesReport(REPORT_DAYS) });
  const stock = useQuery({ queryKey: queryKeys.stockReport, queryFn: getStockReport });
  return (
    <>
      <h1>Dashboard</h1>
      <div className="dashboard">
        <section aria-labelledby="today-heading" className="card">
          <h2 id="today-heading">Today (UTC)</h2>
          {sales.data && <TodayFigures report={sales.data} />}
          {stock.data?.ai && <AiSpendFigure ai={stock.data.ai} />}
        </section>
        <section aria-labelledby="stock-heading" className="card">
          <h2 id="stock-heading">Stock</h2>
          {stock.isPending && <Loading label="Loading stock figures…" />}
          {stock.isError && <ErrorNotice error={stock.error} />}
          {stock.data && <StockFigures report={stock.data} />}
        </section>
        <section aria-labelledby="summaries-heading" className="card">
          <h2 id="summaries-heading">Order summaries</h2>
          {stock.data && <SummaryHealth summaries={stock.data.summaries} />}
        </section>
        <section aria-labelledby="sales-heading" className="card dashboard-wide">
          <h2 id="sales-heading">Orders and revenue, last {REPORT_DAYS} days</h2>
          {sales.isPending && <Loading label="Loading sales…" />}
          {sales.isError && <ErrorNotice error={sales.error} />}
          {sales.data && <SalesFigures report={sales.data} />}
        </section>
      </div>
    </>
  );
}

/** The UTC calendar day of now, as the reports name their days. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

function TodayFigures({ report }: { report: SalesReport }) {
  const today = report.days.find((d) => d.date === todayUtc());
  return (
    <dl className="figures">
      <div>
        <dt>Orders</dt>
        <dd data-testid="orders-today">{today?.orders ?? 0}</dd>
      </div>
      <div>
        <dt>Revenue</dt>
        <dd data-testid="revenue-today">{formatMoney(today?.revenue_cents ?? 0)}</dd>
      </div>
      <div>
        <dt>Cancelled</dt>
        <dd>{today?.cancelled ?? 0}</dd>
      </div>
    </dl>
  );
}

// AI costs are fractions of a cent per summary: shown with up to four decimals.
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 });

function AiSpendFigure({ ai }: { ai: AiSpend }) {
  const budget = ai.daily_budget_usd ?? null;
  const spent = Number.isFinite(ai.spent_today_usd) ? ai.spent_today_usd : 0;
  const reached = budget !== null && spent >= budget;
  return (
    <div className="ai-spend" data-testid="ai-spend">
      <h3>AI spend today</h3>
      <p>
        <strong data-testid="ai-spent">{usd.format(spent)}</strong>{' '}
        {budget === null ? (
          <span className="muted">(no daily budget set)</span>
        ) : (
          <>
            of a <span data-testid="ai-budget">{usd.format(budget)}</span> daily budget
            {budget > 0 && <span className="muted"> ({Math.min(100, Math.round((spent / budget) * 100))}%)</span>}
          </>
        )}
      </p>
      {budget !== null && (
        <meter min={0} max={budget > 0 ? budget : 1} value={Math.min(spent, budget)} aria-label="AI budget used" />
      )}
      {reached && (
        <p className="notice notice-warn" role="status">
          The day&apos;s AI budget is spent: new order summaries are skipped until midnight UTC.
        </p>
      )}
    </div>
  );
}

function StockFigures({ report }: { report: StockReport }) {
  return (
    <dl className="figures">
      <div>
        <dt>Low stock</dt>
        <dd>
          <Link to="/admin/low-stock" data-testid="low-stock-count">
            {report.low_stock}
            <span className="visually-hidden"> products low on stock: see the list</span>
          </Link>
        </dd>
      </div>
      <div>
        <dt>Out of stock</dt>
        <dd>
          {/* Out of stock is at or below any threshold, so the low-stock list holds them too. */}
          <Link to="/admin/low-stock" data-testid="out-of-stock-count">
            {report.out_of_stock}
            <span className="visually-hidden"> products out of stock: see the low-stock list</span>
          </Link>
        </dd>
      </div>
      <div>
        <dt>Active products</dt>
        <dd>{report.products}</dd>
      </div>
      <div>
        <dt>Stock value</dt>
        <dd>{formatMoney(report.stock_value_cents)}</dd>
      </div>
      <div>
        <dt>Incoming units</dt>
        <dd>{report.incoming_units}</dd>
      </div>
    </dl>
  );
}

function SummaryHealth({ summaries }: { summaries: StockReport['summaries'] }) {
  return (
    <>
      <dl className="figures">
        <div>
          <dt>Pending</dt>
          <dd data-testid="summaries-pending">{summaries.pending}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd data-testid="summaries-failed">{summaries.failed}</dd>
        </div>
        <div>
          <dt>Ready</dt>
          <dd>{summaries.ready}</dd>
        </div>
        <div>
          <dt>Skipped</dt>
          <dd>{summaries.skipped}</dd>
        </div>
      </dl>
      {summaries.failed > 0 && (
        <p>
          <Link to="/admin/orders">Review orders</Link> whose summary failed and write them again.
        </p>
      )}
    </>
  );
}

function SalesFigures({ report }: { report: SalesReport }) {
  const totalOrders = report.days.reduce((sum, d) => sum + d.orders, 0);
  const totalRevenue = report.days.reduce((sum, d) => sum + d.revenue_cents, 0);
  return (
    <>
      <p>
        <strong data-testid="orders-total">{totalOrders}</strong> orders,{' '}
        <strong data-testid="revenue-total">{formatMoney(totalRevenue)}</strong> revenue (cancelled orders excluded).
      </p>
      <Suspense fallback={<Loading label="Loading chart…" />}>
        <SalesChart days={report.days} />
      </Suspense>
      <details>
        <summary>Figures per day</summary>
        <div className="table-scroll">
          <table>
            <caption>Orders and revenue per day (UTC)</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Orders</th>
                <th scope="col">Cancelled</th>
                <th scope="col">Revenue</th>
              </tr>
            </thead>
            <tbody>
              {report.days.map((d) => (
                <tr key={d.date}>
                  <th scope="row">{d.date}</th>
                  <td>{d.orders}</td>
                  <td>{d.cancelled}</td>
                  <td>{formatMoney(d.revenue_cents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      <h3>Top products</h3>
      {report.top_products.length === 0 ? (
        <p className="empty">No sales in this period.</p>
      ) : (
        <ol className="top-products">
          {report.top_products.map((p) => (
            <li key={p.product_id}>
              <Link to={`/admin/products/${p.product_id}`}>{p.name}</Link> <span className="muted">{p.sku}</span> —{' '}
              {p.units} sold, {formatMoney(p.revenue_cents)}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
