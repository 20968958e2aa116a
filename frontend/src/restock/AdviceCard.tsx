import type { RestockAdvice } from '../api/restock';
import { formatDateTime } from '../dates';

/** Why the latest attempt left no fresh note, in words; `ready` needs none. */
function statusLine(status: string): string | null {
  switch (status) {
    case 'ready':
      return null;
    case 'failed':
      return 'The latest note could not be written: the AI provider failed.';
    case 'skipped':
      return "The latest note was skipped: the day's AI budget is spent.";
    case 'disabled':
      return 'No AI provider is configured, so no restock note is written.';
    default:
      return `The latest note is ${status}.`;
  }
}

/**
 * The latest AI-written restock note. After a failed or skipped attempt the last good note
 * stays, said to be the last good one; the suggestions below stand without any of it.
 */
export function AdviceCard({ advice }: { advice: RestockAdvice | null }) {
  const line = advice ? statusLine(advice.status) : null;
  return (
    <section className="card" aria-labelledby="advice-heading" data-advice-status={advice?.status ?? 'none'}>
      <h2 id="advice-heading">AI restock note</h2>
      {advice == null ? (
        <p className="muted">No restock note has been written yet. The suggestions below do not depend on it.</p>
      ) : (
        <>
          {line && <p className={advice.status === 'failed' ? 'field-error' : 'muted'}>{line}</p>}
          {advice.text ? (
            <>
              <p className="muted small">
                {advice.status === 'ready' ? 'Written' : 'Last good note, written'}{' '}
                <time dateTime={advice.generated_at}>{formatDateTime(advice.generated_at)}</time>
              </p>
              <p className="summary-text">{advice.text}</p>
            </>
          ) : (
            <p className="muted small">
              Tried <time dateTime={advice.generated_at}>{formatDateTime(advice.generated_at)}</time>; no note has
              been written yet. The suggestions below do not depend on it.
            </p>
          )}
        </>
      )}
    </section>
  );
}
