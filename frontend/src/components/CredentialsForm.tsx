import { useState, type FormEvent, type ReactNode } from 'react';
import type { Credentials } from '../api/auth';
import { fieldErrors } from '../api/problem';
import { ErrorNotice } from './ErrorNotice';
import { Field } from './Field';

interface CredentialsFormProps {
  heading: string;
  /** Sign-in sits under the landing page's own h1; registration is a page of its own. */
  headingLevel: 'h1' | 'h2';
  headingId: string;
  /** `current-password` to sign in, `new-password` to register: password managers tell them apart. */
  passwordAutoComplete: 'current-password' | 'new-password';
  passwordHint?: string;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (credentials: Credentials) => void;
  children?: ReactNode;
}

/** Email and password, with the API's problems shown by the field they concern. */
export function CredentialsForm({
  heading,
  headingLevel: Heading,
  headingId,
  passwordAutoComplete,
  passwordHint,
  submitLabel,
  pendingLabel,
  pending,
  error,
  onSubmit,
  children,
}: CredentialsFormProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit({ email: email.trim(), password });
  }

  // method=post: a submit before the script runs must never put the password in a URL.
  return (
    <form className="card form" method="post" onSubmit={submit} aria-labelledby={headingId} noValidate>
      <Heading id={headingId}>{heading}</Heading>
      <ErrorNotice error={error} claimedFields={['email', 'password']} />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        errors={fieldErrors(error, 'email')}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete={passwordAutoComplete}
        required
        hint={passwordHint}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        errors={fieldErrors(error, 'password')}
      />
      <button type="submit" disabled={pending}>
        {pending ? pendingLabel : submitLabel}
      </button>
      {children}
    </form>
  );
}
