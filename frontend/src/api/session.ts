import { useSyncExternalStore } from 'react';

// The access token lives only as long as the browser tab's session.
const TOKEN_KEY = 'shop.access_token';

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
  notify();
}

export function clearToken(): void {
  if (getToken() === null) return;
  sessionStorage.removeItem(TOKEN_KEY);
  notify();
}

export function subscribeToToken(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useToken(): string | null {
  return useSyncExternalStore(subscribeToToken, getToken, () => null);
}
