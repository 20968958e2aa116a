import { useRef, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { sessionEnded } from '../api/session';
import { useSession } from '../auth';
import { SignInForm } from './SignInForm';
import { ErrorNotice } from './ErrorNotice';
import { Loading } from './Loading';

/**
 * The session ended while the page was open (an expired or revoked token): sign in again right
 * here. The page stays mounted underneath, inert, so whatever was being edited is kept.
 */
function SignInAgain() {
  return (
    <div className="sign-in-again" role="region" aria-label="Sign in again">
      <p className="notice notice-error" role="alert">
        Your session has ended. Sign in again to carry on; what you were doing on this page is kept.
      </p>
      <SignInForm onSignedIn={() => undefined} />
    </div>
  );
}

function Kept({ children, signedOut }: { children: ReactNode; signedOut: boolean }) {
  return (
    <>
      {signedOut && <SignInAgain />}
      <div className="guarded" inert={signedOut}>
        {children}
      </div>
    </>
  );
}

/** Sends signed-out visitors to the landing page (and its sign-in form), remembering where they were going. */
export function RequireSignedIn({ children }: { children: ReactNode }) {
  const { token } = useSession();
  const location = useLocation();
  const shown = useRef(false);
  if (!token && !(shown.current && sessionEnded()))
    return <Navigate to="/" replace state={{ from: location.pathname + location.search }} />;
  shown.current = true;
  return <Kept signedOut={!token}>{children}</Kept>;
}

export function RequireAdmin({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  // Once a staff page has been shown, a lapse of the session (and the check of the new one)
  // keeps it mounted instead of replacing it.
  const shown = useRef(false);
  const lapsed = shown.current && (!session.token ? sessionEnded() : session.isLoading);
  if (!lapsed) {
    if (!session.token) return <Navigate to="/" replace state={{ from: location.pathname + location.search }} />;
    if (session.isLoading) return <Loading label="Checking your account…" />;
    if (session.error) return <ErrorNotice error={session.error} />;
    if (!session.isAdmin) {
      shown.current = false;
      return (
        <div className="notice notice-error" role="alert">
          <p>This page is for staff only.</p>
        </div>
      );
    }
  }
  shown.current = true;
  return <Kept signedOut={!session.token}>{children}</Kept>;
}
