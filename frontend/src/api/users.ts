import { apiRequest, queryString } from './client';
import type { Page, Role } from './model';
import type * as api from './types';

/** An account as staff see it: `disabled` accounts cannot sign in and their tokens stop working. */
export type StaffUser = api.User;

export interface UserFilters {
  q: string;
  role: Role | '';
}

export const listUsers = (filters: UserFilters) =>
  apiRequest<Page<StaffUser>>(`/users${queryString({ q: filters.q.trim(), role: filters.role, limit: 50 })}`);

export const updateUser = (id: string, change: { role?: Role; disabled?: boolean }) =>
  apiRequest<StaffUser>(`/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: change });
