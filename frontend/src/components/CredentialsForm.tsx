import { useState, type FormEvent, type ReactNode } from 'react';
import type { Credentials } from '../api/auth';
import { fieldErrors } from '../api/problem';
import { ErrorNotice } from './ErrorNotice';
import { Field, focusFirstInvalid } from './Field';

type CredentialErrors = Partial<Record<'email' | 'password', string>>;

/** The rules the API applies (API.md, Auth), told in the browser, all at once. */
export function checkCredentials(credentials: Credentials, newAccount: boolean): CredentialErrors {
  const errors: CredentialErrors = {};
  if (credentials.email === '') errors.email = 'Enter your email address.';
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(credentials.email))
    errors.email = 'Enter an email address such as name@example.com.';
  const bytes = new TextEncoder().encode(credentials.password).length;
  if (credentials.password === '') errors.password = newAccount ? 'Choose a password.' : 'Enter your password.';
  else if (newAccount && bytes < 8) errors.password = 'Use at least 8 characters.';
  else if (newAccount && bytes > 256) errors.password = 'Use at most 256 characters.';
  return errors;
}

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
  const [localErrors, setLocalErrors] = useState<CredentialErrors>({});
  const errorsFor = (field: keyof CredentialErrors) => {
    const local = localErrors[field];
    return local ? [local] : fieldErrors(error, field);
  };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const credentials = { email: email.trim(), password };
    const found = checkCredentials(credentials, passwordAutoComplete === 'new-password');
    setLocalErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirstInvalid(event.currentTarget);
      return;
    }
    onSubmit(credentials);
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
        errors={errorsFor('email')}
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
        errors={errorsFor('password')}
      />
      <button type="submit" disabled={pending}>
        {pending ? pendingLabel : submitLabel}
      </button>
      {children}
    </form>
  );
}
