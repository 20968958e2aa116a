import { useState } from 'react';
import { describeError } from '../api/problem';
import type { DeliveryStatus, WebhookDelivery } from '../api/webhooks';
import { ErrorNotice } from '../components/ErrorNotice';
import { LoadMore } from '../components/LoadMore';
import { Loading } from '../components/Loading';
import { formatDateTime } from '../dates';
import { EVENT_LABELS } from './EventChoices';
import { useDeliveryPages, useRetryDelivery } from './useWebhooks';

const STATUS_WORDS: Record<DeliveryStatus, string> = {
  pending: 'Pending',
  delivered: 'Delivered',
  failed: 'Failed',
};

function RetryButton({ endpointId, delivery }: { endpointId: string; delivery: WebhookDelivery }) {
  const retry = useRetryDelivery(endpointId);
  return (
    <>
      <button
        type="button"
        className="secondary"
        disabled={retry.isPending || retry.isSuccess}
        onClick={() => retry.mutate(delivery.id)}
        aria-label={`Retry delivery of ${delivery.type} from ${formatDateTime(delivery.created_at)}`}
      >
        {retry.isPending ? 'Retrying…' : retry.isSuccess ? 'Queued' : 'Retry'}
      </button>
      {retry.isError && (
        <p className="field-error" role="alert">
          {describeError(retry.error)}
        </p>
      )}
    </>
  );
}

/** One endpoint's deliveries, newest first, by status; a failed one can be tried again. */
export function DeliveryLog({ endpointId }: { endpointId: string }) {
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const pages = useDeliveryPages(endpointId, status);
  return (
    <div className="delivery-log" data-testid="delivery-log">
      <div className="row">
        <label>
          Delivery status
          <select value={status} onChange={(e) => setStatus(e.target.value as DeliveryStatus | '')}>
            <option value="">Any</option>
            <option value="pending">Pending</option>
            <option value="delivered">Delivered</option>
            <option value="failed">Failed</option>
          </select>
        </label>
      </div>
      {pages.isPending && <Loading label="Loading deliveries…" />}
      {pages.isError && <ErrorNotice error={pages.error} />}
      {pages.isSuccess && pages.deliveries.length === 0 && <p className="empty">No delivery matches.</p>}
      {pages.deliveries.length > 0 && (
        <div className="table-scroll">
          <table className="data deliveries">
            <caption className="visually-hidden">Deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Attempts
                </th>
                <th scope="col" className="num">
                  Last answer
                </th>
                <th scope="col">Last error</th>
                <th scope="col">Next attempt</th>
                <th scope="col">
                  <span className="visually-hidden">Retry</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {pages.deliveries.map((delivery) => (
                <tr key={delivery.id} data-delivery-id={delivery.id} data-delivery-status={delivery.status}>
                  <td>
                    {EVENT_LABELS[delivery.type] ?? delivery.type}
                    <br />
                    <span className="muted small">{formatDateTime(delivery.created_at)}</span>
                  </td>
                  <td>
                    <span className={`badge badge-delivery-${delivery.status}`}>
                      {STATUS_WORDS[delivery.status] ?? delivery.status}
                    </span>
                  </td>
                  <td className="num">{delivery.attempts}</td>
                  <td className="num">{delivery.last_status_code ?? '—'}</td>
                  <td className="last-error">{delivery.last_error ?? <span className="muted">—</span>}</td>
                  <td>{delivery.next_attempt_at ? formatDateTime(delivery.next_attempt_at) : '—'}</td>
                  <td>{delivery.status === 'failed' && <RetryButton endpointId={endpointId} delivery={delivery} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore {...pages} label="Older deliveries" />
    </div>
  );
}
