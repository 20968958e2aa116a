import { useQuery } from '@tanstack/react-query';
import { fetchMe } from './api/auth';
import { queryKeys } from './api/queryKeys';
import { useToken } from './api/session';
import type { User } from './api/model';

export interface Session {
  token: string | null;
  user: User | undefined;
  isAdmin: boolean;
  /** True while a token exists but /auth/me has not answered yet. */
  isLoading: boolean;
  error: unknown;
}

/** Who is signed in. Keyed by token so that a new sign-in never sees the previous user. */
export function useSession(): Session {
  const token = useToken();
  const me = useQuery({
    queryKey: queryKeys.me(token),
    queryFn: fetchMe,
    enabled: token !== null,
    staleTime: 5 * 60_000,
  });
  const user = token ? me.data : undefined;
  return {
    token,
    user,
    isAdmin: user?.role === 'admin',
    isLoading: token !== null && me.isPending,
    error: me.error,
  };
}
