import { apiRequest } from './client';
import type { LoginResult, User } from './types';

export interface Credentials {
  email: string;
  password: string;
}

export const register = (credentials: Credentials) =>
  apiRequest<User>('/auth/register', { method: 'POST', body: credentials });

export const login = (credentials: Credentials) =>
  apiRequest<LoginResult>('/auth/login', { method: 'POST', body: credentials });

export const fetchMe = () => apiRequest<User>('/auth/me');
