import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { login, register, type Credentials } from '../api/auth';
import { setToken } from '../api/session';
import { CredentialsForm } from '../components/CredentialsForm';
import { usePageTitle } from '../usePageTitle';

/** Registers, then signs straight in: nobody wants to type the same password twice. */
async function registerAndSignIn(credentials: Credentials): Promise<void> {
  await register(credentials);
  const session = await login(credentials);
  setToken(session.access_token);
}

export function RegisterPage() {
  usePageTitle('Create an account');
  const navigate = useNavigate();
  const signUp = useMutation({
    mutationFn: registerAndSignIn,
    onSuccess: () => navigate('/products', { replace: true }),
  });

  return (
    <div className="narrow">
      <CredentialsForm
        heading="Create an account"
        headingLevel="h1"
        headingId="register-heading"
        passwordAutoComplete="new-password"
        passwordHint="At least 8 characters."
        submitLabel="Create account"
        pendingLabel="Creating account…"
        pending={signUp.isPending}
        error={signUp.error}
        onSubmit={(credentials) => signUp.mutate(credentials)}
      >
        <p>
          Already registered? <Link to="/">Sign in</Link>
        </p>
      </CredentialsForm>
    </div>
  );
}
