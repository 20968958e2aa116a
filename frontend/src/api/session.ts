import { useSyncExternalStore } from 'react';

// The access token lives only as long as the browser tab's session.
const TOKEN_KEY = 'shop.access_token';
// Set when the API refused the token, so the sign-in page can say why the person was signed out.
const ENDED_KEY = 'shop.session_ended';

const listeners = new Set<() => void>();

export function getToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function notify(): void {
  for (const listener of listeners) listener();
}

export function setToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
  sessionStorage.removeItem(ENDED_KEY);
  notify();
}

export function clearToken(): void {
  if (getToken() === null) return;
  sessionStorage.removeItem(TOKEN_KEY);
  notify();
}

/** Drops a token the API refused (expired, revoked, tampered) and remembers that it happened. */
export function endSession(): void {
  if (getToken() === null) return;
  sessionStorage.setItem(ENDED_KEY, '1');
  clearToken();
}

export function sessionEnded(): boolean {
  try {
    return sessionStorage.getItem(ENDED_KEY) !== null;
  } catch {
    return false;
  }
}

export function subscribeToToken(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useToken(): string | null {
  return useSyncExternalStore(subscribeToToken, getToken, () => null);
}
