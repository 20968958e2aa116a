import type { Order, OrderSummary } from '../api/model';
import { describeError } from '../api/problem';
import { formatDateTime } from '../dates';
import { flagLabel, riskLabel } from './summaryLabels';
import { useSummaryRequest, useTimelineFollowsSummary } from './useOrder';

/** What each state means, said plainly; `ready` shows the text instead. */
function StateLine({ summary }: { summary: OrderSummary | null | undefined }) {
  switch (summary?.status) {
    case 'ready':
      return <p className="summary-text">{summary.text || 'The summary is empty.'}</p>;
    case 'pending':
      return (
        <p role="status">
          <span className="spinner" aria-hidden="true" /> The summary is being written…
        </p>
      );
    case 'failed':
      return <p>Summary failed: the AI provider could not write it after every retry. Write it again to retry.</p>;
    case 'disabled':
      return <p>Summaries are disabled: no AI provider is configured for this shop.</p>;
    case 'skipped':
      return (
        <p>Summary skipped: the order was cancelled before it was written, or the day&apos;s AI budget is spent.</p>
      );
    default:
      return <p>Summary unavailable.</p>;
  }
}

function Flags({ summary }: { summary: OrderSummary }) {
  const flags = Array.isArray(summary.flags) ? summary.flags : [];
  if (flags.length === 0) return summary.status === 'ready' ? <p className="muted">No flags raised.</p> : null;
  return (
    <ul className="flag-list" aria-label="Flags">
      {flags.map((flag) => (
        <li key={flag.code} data-flag={flag.code}>
          <span className="badge badge-flag">{flagLabel(flag.code)}</span> <span className="muted">{flag.detail}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * The AI summary of an order for staff: risk and the shop's own flags as badges, the text, the
 * model that wrote it, and "Write again" (POST /orders/{id}/summary). While the summary is
 * pending the order is polled (useOrder), so the panel settles by itself.
 */
export function SummaryPanel({ order }: { order: Order }) {
  const request = useSummaryRequest(order.id);
  const summary = order.summary;
  const status = summary?.status ?? 'unknown';
  const pending = status === 'pending';
  useTimelineFollowsSummary(order.id, summary?.status);
  return (
    <section className="card" aria-labelledby="summary-heading" data-slot="summary-panel">
      <div className="page-head">
        <h2 id="summary-heading">AI summary</h2>
        {status === 'ready' && (
          <span className={`badge badge-risk-${summary?.risk ?? 'none'}`} data-testid="summary-risk">
            {riskLabel(summary?.risk)}
          </span>
        )}
      </div>
      <div className={`summary summary-${status}`} data-summary-status={status}>
        <StateLine summary={summary} />
      </div>
      {summary && <Flags summary={summary} />}
      {summary && (summary.model || summary.updated_at) && (
        <p className="muted small">
          {summary.model ? (
            <>
              Written by <code data-testid="summary-model">{summary.model}</code>
            </>
          ) : (
            'Last change'
          )}
          {summary.updated_at && <> · {formatDateTime(summary.updated_at)}</>}
        </p>
      )}
      {summary && (
        <div className="row">
          <button
            type="button"
            className="secondary"
            disabled={pending || request.isPending}
            onClick={() => request.mutate()}
          >
            {request.isPending ? 'Asking…' : 'Write again'}
          </button>
          {pending && <span className="muted">Available once this summary is settled.</span>}
        </div>
      )}
      {request.isError && (
        <p className="field-error" role="alert">
          {describeError(request.error)}
        </p>
      )}
    </section>
  );
}
