import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { login, register, type Credentials } from '../api/auth';
import { fieldErrors } from '../api/problem';
import { setToken } from '../api/session';
import { ErrorNotice } from '../components/ErrorNotice';
import { Field } from '../components/Field';

/** Registers, then signs straight in: nobody wants to type the same password twice. */
async function registerAndSignIn(credentials: Credentials): Promise<void> {
  await register(credentials);
  const session = await login(credentials);
  setToken(session.access_token);
}

export function RegisterPage() {
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signUp = useMutation({
    mutationFn: registerAndSignIn,
    onSuccess: () => navigate('/products', { replace: true }),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    signUp.mutate({ email: email.trim(), password });
  }

  return (
    <div className="narrow">
      <form className="card form" method="post" onSubmit={submit} aria-labelledby="register-heading" noValidate>
        <h1 id="register-heading">Create an account</h1>
        <ErrorNotice error={signUp.error} claimedFields={['email', 'password']} />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          errors={fieldErrors(signUp.error, 'email')}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 8 characters."
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          errors={fieldErrors(signUp.error, 'password')}
        />
        <button type="submit" disabled={signUp.isPending}>
          {signUp.isPending ? 'Creating account…' : 'Create account'}
        </button>
        <p>
          Already registered? <Link to="/">Sign in</Link>
        </p>
      </form>
    </div>
  );
}
