import { useState } from 'react';
import type { CreatedWebhookEndpoint } from '../api/webhooks';

/**
 * The signing secret exists in the app only here, from the `201` of `POST /webhooks`: it is
 * never cached or stored, and the API will not show it again.
 */
export function SecretOnce({ endpoint, onDone }: { endpoint: CreatedWebhookEndpoint; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(endpoint.secret);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }
  return (
    <section className="card secret-once" aria-labelledby="secret-heading" data-testid="webhook-secret">
      <h2 id="secret-heading">Signing secret for {endpoint.url}</h2>
      <p className="notice notice-warn" role="alert">
        Copy this secret now and keep it somewhere safe: it will not be shown again. The receiver needs it
        to check each delivery&apos;s <code>webhook-signature</code>.
      </p>
      <p>
        <code className="secret" data-testid="secret-value">
          {endpoint.secret}
        </code>
      </p>
      <div className="row">
        <button type="button" onClick={() => void copy()}>
          Copy secret
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          I have copied it
        </button>
        {copied === 'yes' && (
          <span role="status" className="muted">
            Copied.
          </span>
        )}
        {copied === 'failed' && (
          <span role="status" className="field-error">
            The browser refused to copy: select the secret and copy it by hand.
          </span>
        )}
      </div>
    </section>
  );
}
