import { useEffect, useRef, useState } from 'react';
import { describeError } from '../api/problem';

interface ConfirmActionProps {
  /** The button that starts it, e.g. "Cancel order". */
  label: string;
  /** What will happen, asked as a question. */
  question: string;
  confirmLabel: string;
  keepLabel: string;
  pending: boolean;
  pendingLabel: string;
  error: unknown;
  danger?: boolean;
  onConfirm: () => void;
  /** Called when the person backs out, so a stale error can be cleared. */
  onKeep?: () => void;
}

/**
 * An action that cannot be undone asks once more, in place, and shows its own failure right
 * beside it rather than at the top of the page.
 */
export function ConfirmAction({
  label,
  question,
  confirmLabel,
  keepLabel,
  pending,
  pendingLabel,
  error,
  danger = false,
  onConfirm,
  onKeep,
}: ConfirmActionProps) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const startRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (wasAsking.current) startRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  const errorText = error ? describeError(error) : null;
  return (
    <div className="confirm-action">
      {asking ? (
        <div className="confirm-box" role="group" aria-label={question}>
          <p className="confirm-question">{question}</p>
          <div className="row">
            <button
              type="button"
              ref={confirmRef}
              className={danger ? 'danger' : undefined}
              onClick={onConfirm}
              disabled={pending}
            >
              {pending ? pendingLabel : confirmLabel}
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setAsking(false);
                onKeep?.();
              }}
              disabled={pending}
            >
              {keepLabel}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" ref={startRef} className={danger ? 'danger' : undefined} onClick={() => setAsking(true)}>
          {label}
        </button>
      )}
      {errorText && (
        <p className="field-error" role="alert">
          {errorText}
        </p>
      )}
    </div>
  );
}
