import { useState, type FormEvent } from 'react';
import { fieldErrors } from '../api/problem';
import type { CreatedWebhookEndpoint } from '../api/webhooks';
import { ErrorNotice } from '../components/ErrorNotice';
import { Field } from '../components/Field';
import { EventChoices } from './EventChoices';
import { useCreateWebhook } from './useWebhooks';

/** What the browser can tell about an address; whether it may be used (https, no private range) the API decides. */
export function checkUrl(text: string): string | null {
  if (!text) return 'Enter the address the shop should send events to.';
  try {
    const url = new URL(text);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'The address must start with https://.';
  } catch {
    return 'Enter a full address, starting with https://.';
  }
  return null;
}

export function NewEndpointForm({ onCreated }: { onCreated: (endpoint: CreatedWebhookEndpoint) => void }) {
  const create = useCreateWebhook();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const [problems, setProblems] = useState<{ url?: string | null; events?: string | null }>({});

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = {
      url: checkUrl(url.trim()),
      events: events.length === 0 ? 'Choose at least one event.' : null,
    };
    setProblems(found);
    if (found.url || found.events) return;
    create.mutate(
      { url: url.trim(), events },
      {
        onSuccess: (endpoint) => {
          setUrl('');
          setEvents([]);
          onCreated(endpoint);
        },
      },
    );
  }

  const apiEvents = fieldErrors(create.error, 'events');
  return (
    <section className="card" aria-labelledby="new-webhook-heading">
      <h2 id="new-webhook-heading">Add an endpoint</h2>
      <form className="form" onSubmit={submit} noValidate>
        <ErrorNotice error={create.error} claimedFields={['url', 'events']} />
        <Field
          label="Endpoint URL"
          name="url"
          type="url"
          inputMode="url"
          placeholder="https://hooks.example.com/shop"
          required
          value={url}
          onChange={(e) => {
            setUrl(e.target.value);
            setProblems((p) => ({ ...p, url: null }));
          }}
          errors={problems.url ? [problems.url] : fieldErrors(create.error, 'url')}
        />
        <EventChoices
          legend="Events to send"
          idPrefix="new-webhook"
          chosen={events}
          onChange={(next) => {
            setEvents(next);
            setProblems((p) => ({ ...p, events: null }));
          }}
          error={problems.events ?? (apiEvents.length > 0 ? apiEvents.join(' ') : null)}
        />
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Adding…' : 'Add endpoint'}
        </button>
      </form>
    </section>
  );
}
