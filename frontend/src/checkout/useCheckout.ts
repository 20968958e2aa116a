import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { newIdempotencyKey } from '../api/idempotency';
import { createOrder } from '../api/orders';
import { ApiError } from '../api/problem';
import { queryKeys } from '../api/queryKeys';
import type { NewOrderExtras, Order, OrderItemInput } from '../api/model';

interface Attempt {
  key: string;
  body: string;
}

/** No answer, or a server fault: the order may or may not exist, so a retry must replay the same key. */
function outcomeUnknown(error: unknown): boolean {
  return !(error instanceof ApiError) || error.status === 0 || error.status >= 500;
}

/**
 * Places an order with an Idempotency-Key per checkout attempt. A retry after an unknown outcome
 * reuses the key (the server replays the first answer, never a second order); after a definite
 * answer, or once the cart changes, the next attempt gets a new key.
 */
export function useCheckout(onPlaced: (order: Order) => void) {
  const queryClient = useQueryClient();
  const attempt = useRef<Attempt | null>(null);

  return useMutation({
    mutationFn: ({ items, extras = {} }: { items: OrderItemInput[]; extras?: NewOrderExtras }) => {
      const body = JSON.stringify({ items, extras });
      if (!attempt.current || attempt.current.body !== body) {
        attempt.current = { key: newIdempotencyKey(), body };
      }
      return createOrder(items, attempt.current.key, extras);
    },
    onSuccess: (order) => {
      attempt.current = null;
      void queryClient.invalidateQueries({ queryKey: queryKeys.orders });
      void queryClient.invalidateQueries({ queryKey: queryKeys.products });
      onPlaced(order);
    },
    onError: (error) => {
      if (!outcomeUnknown(error)) attempt.current = null;
      // A short-stock answer means the shown stock is stale.
      if (error instanceof ApiError && error.status === 409) {
        void queryClient.invalidateQueries({ queryKey: queryKeys.products });
      }
    },
  });
}
