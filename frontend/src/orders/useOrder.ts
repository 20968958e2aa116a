import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { cancelOrder, fulfilOrder, getOrder, listOrderEvents, requestSummary } from '../api/orders';
import { queryKeys } from '../api/queryKeys';
import type { Order } from '../api/model';
import { SUMMARY_POLL_MS } from '../api/useOrderPages';

/** One order; polls while its summary is being written. */
export function useOrder(id: string) {
  return useQuery({
    queryKey: queryKeys.order(id),
    queryFn: () => getOrder(id),
    refetchInterval: (q) => (q.state.data?.summary?.status === 'pending' ? SUMMARY_POLL_MS : false),
  });
}

export function useOrderEvents(id: string, enabled: boolean) {
  return useQuery({ queryKey: queryKeys.orderEvents(id), queryFn: () => listOrderEvents(id), enabled });
}

/**
 * Cancel or fulfil one order. The answer is the order in its new state: it replaces the cached
 * one at once, so no notice about the old state survives it.
 */
export function useOrderChange(action: 'cancel' | 'fulfil') {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (orderId: string) => (action === 'cancel' ? cancelOrder(orderId) : fulfilOrder(orderId)),
    onSuccess: (order: Order) => queryClient.setQueryData(queryKeys.order(order.id), order),
    onSettled: (_data, _error, orderId) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.orders });
      void queryClient.invalidateQueries({ queryKey: queryKeys.orderEvents(orderId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.products });
    },
  });
}

/**
 * "Write again": the answer is the order with its summary `pending`, which makes useOrder poll
 * until the summary is settled. A 409 means it is pending already: the order is read again so
 * the page catches up.
 */
export function useSummaryRequest(orderId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => requestSummary(orderId),
    onSuccess: (order: Order) => queryClient.setQueryData(queryKeys.order(order.id), order),
    // The order, its timeline and the lists (a 409 too: the page then shows the current state).
    onSettled: () => void queryClient.invalidateQueries({ queryKey: queryKeys.orders }),
  });
}

/**
 * A summary that settles (pending → ready, failed, skipped…) has added an event to the order's
 * timeline: it is read again then, not only after the app's own changes.
 */
export function useTimelineFollowsSummary(orderId: string, status: string | undefined) {
  const queryClient = useQueryClient();
  const previous = useRef(status);
  useEffect(() => {
    if (previous.current === 'pending' && status !== 'pending')
      void queryClient.invalidateQueries({ queryKey: queryKeys.orderEvents(orderId) });
    previous.current = status;
  }, [orderId, status, queryClient]);
}
