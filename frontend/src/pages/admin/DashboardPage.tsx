import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { Link } from 'react-router';
import { queryKeys } from '../../api/queryKeys';
import { getSalesReport, getStockReport, type SalesReport, type StockReport } from '../../api/reports';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { formatMoney } from '../../money';
import { usePageTitle } from '../../usePageTitle';

// The chart library is large: only staff who open the dashboard download it.
const SalesChart = lazy(() => import('./SalesChart').then((module) => ({ default: module.SalesChart })));

const REPORT_DAYS = 30;

export function DashboardPage() {
  usePageTitle('Dashboard');
  const sales = useQuery({ queryKey: queryKeys.salesReport(REPORT_DAYS), queryFn: () => getSalesReport(REPORT_DAYS) });
  const stock = useQuery({ queryKey: queryKeys.stockReport, queryFn: getStockReport });
  return (
    <>
      <h1>Dashboard</h1>
      <div className="dashboard">
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
