import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { login } from '../api/auth';
import { fieldErrors } from '../api/problem';
import { setToken } from '../api/session';
import { ErrorNotice } from '../components/ErrorNotice';
import { Field } from '../components/Field';

export function SignInForm({ onSignedIn }: { onSignedIn: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: login,
    onSuccess: (result) => {
      setToken(result.access_token);
      onSignedIn();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    signIn.mutate({ email: email.trim(), password });
  }

  // method=post: a submit before the script runs must never put the password in a URL.
  return (
    <form className="card form" method="post" onSubmit={submit} aria-labelledby="sign-in-heading" noValidate>
      <h2 id="sign-in-heading">Sign in</h2>
      <ErrorNotice error={signIn.error} claimedFields={['email', 'password']} />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        errors={fieldErrors(signIn.error, 'email')}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        errors={fieldErrors(signIn.error, 'password')}
      />
      <button type="submit" disabled={signIn.isPending}>
        {signIn.isPending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
