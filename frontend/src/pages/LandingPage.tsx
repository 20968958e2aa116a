import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { sessionEnded } from '../api/session';
import { useSession } from '../auth';
import { usePageTitle } from '../usePageTitle';
import { SignInForm } from './SignInForm';

interface FromState {
  from?: string;
}

export function LandingPage() {
  const { token } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as FromState | null)?.from;

  usePageTitle('Sign in');
  // Signed in (just now, or already): go where the visitor was heading.
  if (token) return <Navigate to={from && from !== '/' ? from : '/products'} replace />;

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
        <SignInForm onSignedIn={() => navigate(from && from !== '/' ? from : '/products', { replace: true })} />
      </div>
    </div>
  );
}
