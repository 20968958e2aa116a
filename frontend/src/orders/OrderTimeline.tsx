import type { OrderEvent } from '../api/model';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { formatDateTime } from '../dates';
import { shortId } from '../ids';
import { useOrderEvents } from './useOrder';

const WORDS: Record<string, string> = {
  created: 'Order placed',
  cancelled: 'Cancelled',
  fulfilled: 'Fulfilled',
  summary_ready: 'Summary written',
  summary_failed: 'Summary failed',
  summary_skipped: 'Summary skipped',
};

function who(event: OrderEvent): string {
  return event.actor_id ? `by account ${shortId(event.actor_id)}` : 'by the system';
}

/** What happened to the order, oldest first (GET /orders/{id}/events). */
export function OrderTimeline({ orderId }: { orderId: string }) {
  // Refetched whenever a change to the order invalidates it (see useOrderChange).
  const events = useOrderEvents(orderId, true);
  if (events.isPending) return <Loading label="Loading the timeline…" />;
  if (events.isError) return <ErrorNotice error={events.error} />;
  if (events.data.items.length === 0) return <p className="muted">Nothing recorded yet.</p>;
  return (
    <ol className="timeline">
      {events.data.items.map((event, index) => (
        <li key={`${event.created_at}-${index}`} data-event-type={event.type}>
          <strong>{WORDS[event.type] ?? event.type}</strong>{' '}
          <span className="muted">
            {who(event)} · <time dateTime={event.created_at}>{formatDateTime(event.created_at)}</time>
          </span>
        </li>
      ))}
    </ol>
  );
}
