import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../api/queryKeys';
import {
  cancelPurchaseOrder,
  getPurchaseOrder,
  getRestockSuggestions,
  listPurchaseOrders,
  orderSuggestions,
  receivePurchaseOrder,
  type PurchaseOrder,
  type PurchaseOrderStatus,
  type ReceiptLine,
} from '../api/restock';

export function useSuggestions() {
  return useQuery({ queryKey: queryKeys.suggestions, queryFn: getRestockSuggestions });
}

export function usePurchaseOrderPages(status: PurchaseOrderStatus | '') {
  const query = useInfiniteQuery({
    queryKey: queryKeys.purchaseOrderList(status),
    queryFn: ({ pageParam }) => listPurchaseOrders(status, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
  const orders = query.data?.pages.flatMap((page) => page.items) ?? [];
  return { ...query, orders };
}

export function usePurchaseOrder(id: string) {
  return useQuery({ queryKey: queryKeys.purchaseOrder(id), queryFn: () => getPurchaseOrder(id) });
}

/**
 * A purchase order moves stock and `incoming`: after any change the products, their movements,
 * the suggestions and the stock report are read again.
 */
function useAfterStockChange() {
  const queryClient = useQueryClient();
  return (order?: PurchaseOrder) => {
    if (order) queryClient.setQueryData(queryKeys.purchaseOrder(order.id), order);
    void queryClient.invalidateQueries({ queryKey: queryKeys.restock });
    void queryClient.invalidateQueries({ queryKey: queryKeys.products });
    void queryClient.invalidateQueries({ queryKey: queryKeys.stockReport });
  };
}

export function useOrderSuggestions() {
  const after = useAfterStockChange();
  return useMutation({
    mutationFn: ({ supplier, productIds }: { supplier: string; productIds: string[] }) =>
      orderSuggestions(supplier, productIds),
    onSuccess: (order) => after(order),
  });
}

export function useReceive(id: string) {
  const after = useAfterStockChange();
  return useMutation({
    mutationFn: (lines: ReceiptLine[]) => receivePurchaseOrder(id, lines),
    onSuccess: (order) => after(order),
    // A 409 may mean someone else received meanwhile: show the order as it is now.
    onError: () => after(),
  });
}

export function useCancelPurchaseOrder(id: string) {
  const after = useAfterStockChange();
  return useMutation({
    mutationFn: () => cancelPurchaseOrder(id),
    onSuccess: (order) => after(order),
    onError: () => after(),
  });
}
