import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSession } from '../auth';
import { ErrorNotice } from './ErrorNotice';
import { Loading } from './Loading';

/** Sends signed-out visitors to the landing page (and its sign-in form), remembering where they were going. */
export function RequireSignedIn({ children }: { children: ReactNode }) {
  const { token } = useSession();
  const location = useLocation();
  if (!token) return <Navigate to="/" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

export function RequireAdmin({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (!session.token) return <Navigate to="/" replace state={{ from: location.pathname + location.search }} />;
  if (session.isLoading) return <Loading label="Checking your account…" />;
  if (session.error) return <ErrorNotice error={session.error} />;
  if (!session.isAdmin) {
    return (
      <div className="notice notice-error" role="alert">
        <p>This page is for staff only.</p>
      </div>
    );
  }
  return <>{children}</>;
}
