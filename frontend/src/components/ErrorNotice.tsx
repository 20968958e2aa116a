import { describeError, plainWords, unclaimedFieldErrors } from '../api/problem';

interface ErrorNoticeProps {
  error: unknown;
  /** Fields shown next to their inputs; errors for any other field are listed here. */
  claimedFields?: readonly string[];
}

/** The problem's detail as an alert, plus any field errors no input shows. */
export function ErrorNotice({ error, claimedFields = [] }: ErrorNoticeProps) {
  if (!error) return null;
  const leftovers = unclaimedFieldErrors(error, claimedFields);
  return (
    <div className="notice notice-error" role="alert">
      <p>{describeError(error)}</p>
      {leftovers.length > 0 && (
        <ul>
          {leftovers.map((e, i) => (
            <li key={i}>{e.field ? `${e.field}: ${plainWords(e.message)}` : plainWords(e.message)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
