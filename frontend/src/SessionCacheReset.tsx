import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { subscribeToToken, getToken } from './api/session';

/**
 * When the token goes (sign-out, or any 401), forget everything fetched with it, so the next
 * person at this browser never sees the previous one's orders. The public catalogue stays.
 */
export function SessionCacheReset() {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      subscribeToToken(() => {
        // Signed in again (e.g. in place, after the session ended): what the page shows is
        // fetched anew with the new token.
        if (getToken() !== null) {
          void queryClient.invalidateQueries();
          return;
        }
        queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'products' });
      }),
    [queryClient],
  );
  return null;
}
