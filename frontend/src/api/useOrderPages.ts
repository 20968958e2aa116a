import { useInfiniteQuery } from '@tanstack/react-query';
import { listOrders, type OrderScope } from './orders';
import { queryKeys } from './queryKeys';
import type { Order, Page } from './model';

/** How often to look again while any shown order's summary is still being written. */
export const SUMMARY_POLL_MS = 2_000;

function anySummaryPending(pages: readonly Page<Order>[] | undefined): boolean {
  return (pages ?? []).some((page) => page.items.some((order) => order.summary?.status === 'pending'));
}

/** Orders newest first, page by page; polls only while some summary is pending. */
export function useOrderPages(scope: OrderScope) {
  const query = useInfiniteQuery({
    queryKey: queryKeys.orderList(scope),
    queryFn: ({ pageParam }) => listOrders(scope, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    refetchInterval: (q) => (anySummaryPending(q.state.data?.pages) ? SUMMARY_POLL_MS : false),
  });
  const orders = query.data?.pages.flatMap((page) => page.items) ?? [];
  return { ...query, orders };
}
