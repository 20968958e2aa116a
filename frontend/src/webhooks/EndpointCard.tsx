import { useState } from 'react';
import { describeError } from '../api/problem';
import type { WebhookEndpoint } from '../api/webhooks';
import { ConfirmAction } from '../components/ConfirmAction';
import { formatDateTime } from '../dates';
import { DeliveryLog } from './DeliveryLog';
import { EVENT_LABELS, EventChoices } from './EventChoices';
import { useDeleteWebhook, useUpdateWebhook } from './useWebhooks';

function EditEvents({ endpoint, onDone }: { endpoint: WebhookEndpoint; onDone: () => void }) {
  const update = useUpdateWebhook(endpoint.id);
  const [events, setEvents] = useState<string[]>(endpoint.events);
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (events.length === 0) return setProblem('Choose at least one event.');
        update.mutate({ events }, { onSuccess: onDone });
      }}
    >
      <EventChoices
        legend="Events to send"
        idPrefix={`edit-${endpoint.id}`}
        chosen={events}
        onChange={(next) => {
          setEvents(next);
          setProblem(null);
        }}
        error={problem}
      />
      <div className="row">
        <button type="submit" disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save events'}
        </button>
        <button type="button" className="secondary" onClick={onDone} disabled={update.isPending}>
          Keep as is
        </button>
      </div>
      {update.isError && (
        <p className="field-error" role="alert">
          {describeError(update.error)}
        </p>
      )}
    </form>
  );
}

/** One endpoint: its events, pause or activate, edit events, delete, and its delivery log. */
export function EndpointCard({ endpoint }: { endpoint: WebhookEndpoint }) {
  const toggle = useUpdateWebhook(endpoint.id);
  const remove = useDeleteWebhook(endpoint.id);
  const [editing, setEditing] = useState(false);
  const [showLog, setShowLog] = useState(false);
  const headingId = `webhook-${endpoint.id}`;
  return (
    <article className="card webhook" aria-labelledby={headingId} data-webhook-id={endpoint.id}>
      <div className="page-head">
        <h3 id={headingId} className="webhook-url">
          {endpoint.url}
        </h3>
        <span className={`badge ${endpoint.active ? 'badge-active' : 'badge-paused'}`}>
          {endpoint.active ? 'Active' : 'Paused'}
        </span>
      </div>
      <p className="muted small">Added {formatDateTime(endpoint.created_at)}</p>
      {editing ? (
        <EditEvents endpoint={endpoint} onDone={() => setEditing(false)} />
      ) : (
        <ul className="event-list" aria-label="Events sent">
          {endpoint.events.map((event) => (
            <li key={event}>
              {EVENT_LABELS[event] ?? event} <code className="muted">{event}</code>
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <button
          type="button"
          className="secondary"
          disabled={toggle.isPending}
          onClick={() => toggle.mutate({ active: !endpoint.active })}
        >
          {endpoint.active ? 'Pause' : 'Activate'}
        </button>
        {!editing && (
          <button type="button" className="secondary" onClick={() => setEditing(true)}>
            Edit events
          </button>
        )}
        <button type="button" className="secondary" aria-expanded={showLog} onClick={() => setShowLog((v) => !v)}>
          {showLog ? 'Hide deliveries' : 'Show deliveries'}
        </button>
      </div>
      {toggle.isError && (
        <p className="field-error" role="alert">
          {describeError(toggle.error)}
        </p>
      )}
      <ConfirmAction
        label="Delete endpoint"
        question={`Delete the endpoint ${endpoint.url}? It gets no more events; this cannot be undone.`}
        confirmLabel="Yes, delete"
        keepLabel="Keep it"
        pending={remove.isPending}
        pendingLabel="Deleting…"
        error={remove.error}
        danger
        onConfirm={() => remove.mutate()}
        onKeep={() => remove.reset()}
      />
      {showLog && <DeliveryLog endpointId={endpoint.id} />}
    </article>
  );
}
