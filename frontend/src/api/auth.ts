import { apiRequest } from './client';
import type { LoginResult, User } from './model';

export interface Credentials {
  email: string;
  password: string;
}

export const register = (credentials: Credentials) =>
  apiRequest<User>('/auth/register', { method: 'POST', body: credentials });

export const login = (credentials: Credentials) =>
  apiRequest<LoginResult>('/auth/login', { method: 'POST', body: credentials });

export const fetchMe = () => apiRequest<User>('/auth/me');

/** Ends every token issued to the caller so far, not only the one this tab holds. */
export const logout = () => apiRequest<void>('/auth/logout', { method: 'POST' });
