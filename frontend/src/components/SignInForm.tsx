import { useMutation } from '@tanstack/react-query';
import { login } from '../api/auth';
import { setToken } from '../api/session';
import { CredentialsForm } from './CredentialsForm';

export function SignInForm({ onSignedIn }: { onSignedIn: () => void }) {
  const signIn = useMutation({
    mutationFn: login,
    onSuccess: (result) => {
      setToken(result.access_token);
      onSignedIn();
    },
  });

  return (
    <CredentialsForm
      heading="Sign in"
      headingLevel="h2"
      headingId="sign-in-heading"
      passwordAutoComplete="current-password"
      submitLabel="Sign in"
      pendingLabel="Signing in…"
      pending={signIn.isPending}
      error={signIn.error}
      onSubmit={(credentials) => signIn.mutate(credentials)}
    />
  );
}
