import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { archiveProduct } from '../api/products';
import { queryKeys } from '../api/queryKeys';
import type { Product } from '../api/model';
import { ErrorNotice } from '../components/ErrorNotice';

/** Archiving hides a product from the catalogue for good, so it asks once more, in the page itself. */
export function ArchiveProduct({ product }: { product: Product }) {
  const [confirming, setConfirming] = useState(false);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const archive = useMutation({
    mutationFn: () => archiveProduct(product.id),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: queryKeys.product(product.id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.products });
      navigate('/admin/products');
    },
  });

  return (
    <div className="archive">
      {confirming ? (
        <div className="row" role="group" aria-label="Confirm archive">
          <span>Archive {product.name}? It leaves the catalogue; old orders keep it.</span>
          <button type="button" className="danger" onClick={() => archive.mutate()} disabled={archive.isPending}>
            {archive.isPending ? 'Archiving…' : 'Yes, archive'}
          </button>
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </div>
      ) : (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Archive product
        </button>
      )}
      <ErrorNotice error={archive.error} />
    </div>
  );
}
