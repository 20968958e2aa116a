import { useInfiniteQuery } from '@tanstack/react-query';
import { listProducts } from './products';
import { queryKeys } from './queryKeys';

/** Active products page by page (keyset cursor), for a search and/or the low-stock filter. */
export function useProductPages(q: string, lowStock = false) {
  const query = useInfiniteQuery({
    queryKey: queryKeys.productList(q, lowStock),
    queryFn: ({ pageParam }) => listProducts({ q: q || undefined, lowStock, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
  const products = query.data?.pages.flatMap((page) => page.items) ?? [];
  return { ...query, products };
}
