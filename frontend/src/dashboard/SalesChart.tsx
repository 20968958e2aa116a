import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SalesDay } from '../api/reports';
import { formatMoney } from '../money';

/**
 * Orders (bars) and revenue (line) per day. The chart is hidden from screen readers:
 * the table next to it carries the same figures.
 */
export function SalesChart({ days }: { days: SalesDay[] }) {
  // Bars and line grow in unless the reader asked for less motion (a still picture then).
  const animate = !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
  const points = days.map((d) => ({ date: d.date.slice(5), orders: d.orders, revenue: d.revenue_cents / 100 }));
  return (
    <div className="sales-chart" aria-hidden="true">
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="date" minTickGap={16} />
          <YAxis yAxisId="orders" allowDecimals={false} width={36} />
          <YAxis yAxisId="revenue" orientation="right" width={56} />
          <Tooltip formatter={(value, name) => (name === 'Revenue' ? formatMoney(Number(value) * 100) : value)} />
          <Legend />
          <Bar yAxisId="orders" dataKey="orders" name="Orders" fill="#2f5d8a" isAnimationActive={animate} />
          <Line yAxisId="revenue" dataKey="revenue" name="Revenue" stroke="#b3541e" strokeWidth={2} dot={false} isAnimationActive={animate} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
