import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { getToken } from '../api/session';
import { mockFetch, problem, json } from '../test/fetchMock';
import { renderWithProviders } from '../test/render';
import { RegisterPage } from './RegisterPage';

/** The visible error message tied to an input through aria-describedby. */
function describedErrorOf(input: HTMLElement): string {
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  return ids
    .map((id) => document.getElementById(id))
    .filter((el): el is HTMLElement => el !== null && el.classList.contains('field-error'))
    .map((el) => el.textContent)
    .join(' ');
}

describe('RegisterPage', () => {
  it('shows problem+json field errors next to their fields, and the detail above', async () => {
    mockFetch(() =>
      problem(422, {
        title: 'Unprocessable Entity',
        detail: 'The request is invalid.',
        errors: [
          { field: 'email', message: 'must be a valid email address' },
          { field: 'password', message: 'must be at least 8 characters' },
        ],
      }),
    );
    renderWithProviders(<RegisterPage />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'long enough');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'Please correct the fields marked below.');
    const email = screen.getByLabelText('Email');
    const password = screen.getByLabelText('Password');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(describedErrorOf(email)).toBe('This must be a valid email address.');
    expect(describedErrorOf(password)).toBe('This must be at least 8 characters.');
    // Each message sits right under its own input.
    expect(email.parentElement?.textContent).toContain('must be a valid email address');
    expect(password.parentElement?.textContent).toContain('must be at least 8 characters');
  });

  it('checks both fields in the browser and names every problem at once', async () => {
    const { requests } = mockFetch(() => json(201, {}));
    renderWithProviders(<RegisterPage />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Email'), 'not-an-email');
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(describedErrorOf(screen.getByLabelText('Email'))).toBe('Enter an email address such as name@example.com.');
    expect(describedErrorOf(screen.getByLabelText('Password'))).toBe('Use at least 8 characters.');
    expect(requests).toHaveLength(0);
  });

  it('shows a 409 detail when the email is taken', async () => {
    mockFetch(() => problem(409, { title: 'Conflict', detail: 'That email is already registered.' }));
    renderWithProviders(<RegisterPage />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Email'), 'a@b.co');
    await user.type(screen.getByLabelText('Password'), 'long-enough-pw');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect((await screen.findByRole('alert')).textContent).toContain('That email is already registered.');
  });

  it('registers, then signs in and keeps the token for the session', async () => {
    const { requests } = mockFetch(({ path }) =>
      path === '/auth/register'
        ? json(201, { id: 'u1', email: 'a@b.co', role: 'customer', created_at: '2026-01-01T00:00:00Z' })
        : json(200, { access_token: 'tok-123', token_type: 'Bearer', expires_in: 3600 }),
    );
    renderWithProviders(<RegisterPage />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Email'), ' a@b.co ');
    await user.type(screen.getByLabelText('Password'), 'long-enough-pw');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    await vi.waitFor(() => expect(getToken()).toBe('tok-123'));
    expect(requests.map((r) => r.path)).toEqual(['/auth/register', '/auth/login']);
    expect(requests[0]?.body).toEqual({ email: 'a@b.co', password: 'long-enough-pw' });
    expect(sessionStorage.getItem('shop.access_token')).toBe('tok-123');
  });
});
