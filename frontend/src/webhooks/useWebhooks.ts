import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../api/queryKeys';
import {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  retryDelivery,
  updateWebhook,
  type DeliveryStatus,
} from '../api/webhooks';

export function useWebhookPages() {
  const query = useInfiniteQuery({
    queryKey: queryKeys.webhookList,
    queryFn: ({ pageParam }) => listWebhooks(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
  const endpoints = query.data?.pages.flatMap((page) => page.items) ?? [];
  return { ...query, endpoints };
}

function useRefreshEndpoints() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: queryKeys.webhookList });
}

export function useCreateWebhook() {
  const refresh = useRefreshEndpoints();
  return useMutation({
    mutationFn: ({ url, events }: { url: string; events: string[] }) => createWebhook(url, events),
    onSuccess: refresh,
  });
}

export function useUpdateWebhook(id: string) {
  const refresh = useRefreshEndpoints();
  return useMutation({
    mutationFn: (change: { events?: string[]; active?: boolean }) => updateWebhook(id, change),
    onSuccess: refresh,
  });
}

export function useDeleteWebhook(id: string) {
  const refresh = useRefreshEndpoints();
  return useMutation({ mutationFn: () => deleteWebhook(id), onSuccess: refresh });
}

export function useDeliveryPages(endpointId: string, status: DeliveryStatus | '') {
  const query = useInfiniteQuery({
    queryKey: queryKeys.deliveries(endpointId, status),
    queryFn: ({ pageParam }) => listDeliveries(endpointId, status, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
  const deliveries = query.data?.pages.flatMap((page) => page.items) ?? [];
  return { ...query, deliveries };
}

export function useRetryDelivery(endpointId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deliveryId: string) => retryDelivery(endpointId, deliveryId),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.endpointDeliveries(endpointId) }),
  });
}
