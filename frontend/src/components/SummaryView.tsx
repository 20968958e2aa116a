import type { OrderSummary } from '../api/types';

/** The AI summary of an order in each of its states; an unexpected shape reads as unavailable. */
export function SummaryView({ summary }: { summary: OrderSummary | null | undefined }) {
  const status = summary?.status;
  switch (status) {
    case 'ready':
      return (
        <div className="summary summary-ready" data-summary-status="ready">
          <h4>Summary</h4>
          <p>{summary?.text || 'The summary is empty.'}</p>
        </div>
      );
    case 'pending':
      return (
        <div className="summary summary-pending" data-summary-status="pending" role="status">
          <span className="spinner" aria-hidden="true" /> Summary is being written…
        </div>
      );
    case 'failed':
      return (
        <div className="summary summary-failed" data-summary-status="failed">
          Summary failed: the summary service could not write it.
        </div>
      );
    case 'disabled':
      return (
        <div className="summary summary-disabled" data-summary-status="disabled">
          Summary disabled: no summary service is configured.
        </div>
      );
    case 'skipped':
      return (
        <div className="summary summary-skipped" data-summary-status="skipped">
          Summary skipped: the order was cancelled first, or the day&apos;s AI budget is spent.
        </div>
      );
    default:
      return (
        <div className="summary summary-unknown" data-summary-status="unknown">
          Summary unavailable.
        </div>
      );
  }
}
