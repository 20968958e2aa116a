import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { sessionEnded } from '../api/session';
import { useSession } from '../auth';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../usePageTitle';
import { SignInForm } from '../components/SignInForm';

interface FromState {
  from?: string;
}

export function LandingPage() {
  const { token, isAdmin, isLoading } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as FromState | null)?.from;

  usePageTitle('Sign in');
  // Signed in (just now, or already): go where the visitor was heading; staff otherwise start on
  // the dashboard, customers in the catalogue.
  if (token && from && from !== '/') return <Navigate to={from} replace />;
  if (token && isLoading) return <Loading label="Signing in…" />;
  if (token) return <Navigate to={isAdmin ? '/admin' : '/products'} replace />;

  return (
    <div className="landing">
      <section className="intro">
        <h1>Welcome to the shop</h1>
        <p>Browse the catalogue, fill a cart and follow your orders.</p>
        <p>
          <Link to="/products">Browse the catalogue</Link> · New here? <Link to="/register">Create an account</Link>
        </p>
      </section>
      <div className="stack">
        {sessionEnded() && (
          <p className="notice notice-error" role="alert">
            Your session has ended. Please sign in again.
          </p>
        )}
        <SignInForm onSignedIn={() => navigate(from && from !== '/' ? from : '/', { replace: true })} />
      </div>
    </div>
  );
}
