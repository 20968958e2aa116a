import type { RestockAdvice } from '../api/restock';
import { formatDateTime } from '../dates';

/** The latest AI-written restock note; the suggestions below stand without it. */
export function AdviceCard({ advice }: { advice: RestockAdvice | null }) {
  return (
    <section className="card" aria-labelledby="advice-heading" data-advice-status={advice?.status ?? 'none'}>
      <h2 id="advice-heading">AI restock note</h2>
      {advice === null ? (
        <p className="muted">No restock note has been written yet. The suggestions below do not depend on it.</p>
      ) : (
        <>
          <p className="muted small">
            {advice.status === 'ready' ? 'Written' : `Status: ${advice.status}, tried`}{' '}
            <time dateTime={advice.generated_at}>{formatDateTime(advice.generated_at)}</time>
          </p>
          {advice.status === 'failed' && !advice.text && (
            <p>The last note could not be written: the AI provider did not answer. The suggestions below still hold.</p>
          )}
          {advice.text && <p className="summary-text">{advice.text}</p>}
        </>
      )}
    </section>
  );
}
