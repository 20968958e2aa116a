import { WEBHOOK_EVENTS } from '../api/webhooks';

export const EVENT_LABELS: Record<string, string> = {
  'order.created': 'Order placed',
  'order.cancelled': 'Order cancelled',
  'order.fulfilled': 'Order fulfilled',
  'product.low_stock': 'Product ran low on stock',
  'purchase_order.received': 'Purchase order received',
};

interface EventChoicesProps {
  legend: string;
  chosen: readonly string[];
  onChange: (events: string[]) => void;
  error?: string | null;
  /** Keeps ids apart when several endpoints are edited on one page. */
  idPrefix: string;
}

/** One checkbox per event type, in the contract's order; the error (e.g. none chosen) under them. */
export function EventChoices({ legend, chosen, onChange, error, idPrefix }: EventChoicesProps) {
  const errorId = `${idPrefix}-events-error`;
  return (
    <fieldset className="event-choices" aria-describedby={error ? errorId : undefined}>
      <legend>{legend}</legend>
      {WEBHOOK_EVENTS.map((event) => (
        <label key={event} className="check">
          <input
            type="checkbox"
            checked={chosen.includes(event)}
            onChange={(e) =>
              onChange(
                e.target.checked
                  ? WEBHOOK_EVENTS.filter((x) => x === event || chosen.includes(x))
                  : chosen.filter((x) => x !== event),
              )
            }
          />{' '}
          {EVENT_LABELS[event]} <code className="muted">{event}</code>
        </label>
      ))}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
