import { useState } from 'react';
import type { CreatedWebhookEndpoint } from '../../api/webhooks';
import { ErrorNotice } from '../../components/ErrorNotice';
import { LoadMore } from '../../components/LoadMore';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../usePageTitle';
import { EndpointCard } from '../../webhooks/EndpointCard';
import { NewEndpointForm } from '../../webhooks/NewEndpointForm';
import { SecretOnce } from '../../webhooks/SecretOnce';
import { useWebhookPages } from '../../webhooks/useWebhooks';

/** Endpoints that receive the shop's events, each with its delivery log. */
export function WebhooksPage() {
  usePageTitle('Webhooks');
  const pages = useWebhookPages();
  const [created, setCreated] = useState<CreatedWebhookEndpoint | null>(null);
  return (
    <>
      <h1>Webhooks</h1>
      <p className="muted">
        The shop posts each chosen event to these addresses, signed with the endpoint&apos;s secret (Standard
        Webhooks), and retries for hours before a delivery counts as failed.
      </p>
      <div className="stack">
        {created && <SecretOnce endpoint={created} onDone={() => setCreated(null)} />}
        <NewEndpointForm onCreated={setCreated} />
        <section aria-labelledby="endpoints-heading">
          <h2 id="endpoints-heading">Endpoints</h2>
          {pages.isPending && <Loading label="Loading endpoints…" />}
          {pages.isError && <ErrorNotice error={pages.error} />}
          {pages.isSuccess && pages.endpoints.length === 0 && <p className="empty">No endpoint yet.</p>}
          <div className="stack">
            {pages.endpoints.map((endpoint) => (
              <EndpointCard key={endpoint.id} endpoint={endpoint} />
            ))}
          </div>
          <LoadMore {...pages} label="More endpoints" />
        </section>
      </div>
    </>
  );
}
