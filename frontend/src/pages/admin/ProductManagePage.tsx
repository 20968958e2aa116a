import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useLocation, useParams } from 'react-router';
import { getProduct, updateProduct } from '../../api/products';
import { queryKeys } from '../../api/queryKeys';
import type { Product } from '../../api/types';
import { Availability } from '../../components/Availability';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { formatMoney } from '../../money';
import { ArchiveProduct } from './ArchiveProduct';
import { MovementHistory } from './MovementHistory';
import { ProductForm } from './ProductForm';
import { formFromProduct, toProductPatch, type ProductFormValues } from './productForm';
import { StockAdjustForm } from './StockAdjustForm';

function EditProduct({ product }: { product: Product }) {
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (values: ProductFormValues) => updateProduct(product.id, toProductPatch(values)),
    onSuccess: (saved) => {
      queryClient.setQueryData(queryKeys.product(saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: queryKeys.products });
    },
  });
  return (
    <section className="card" aria-labelledby="edit-heading">
      <h2 id="edit-heading">Details</h2>
      {save.isSuccess && (
        <p className="notice notice-ok" role="status">
          Saved.
        </p>
      )}
      <ProductForm
        initial={formFromProduct(product)}
        creating={false}
        submitLabel="Save changes"
        pending={save.isPending}
        error={save.error}
        onSubmit={(values) => save.mutate(values)}
      />
    </section>
  );
}

export function ProductManagePage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const created = (location.state as { created?: boolean } | null)?.created;
  const product = useQuery({ queryKey: queryKeys.product(id), queryFn: () => getProduct(id) });

  if (product.isPending) return <Loading label="Loading product…" />;
  if (product.isError) {
    return (
      <>
        <p>
          <Link to="/admin/products">← Products</Link>
        </p>
        <ErrorNotice error={product.error} />
      </>
    );
  }

  const p = product.data;
  return (
    <>
      <p>
        <Link to="/admin/products">← Products</Link>
      </p>
      <div className="page-head">
        <h1>{p.name}</h1>
        <ArchiveProduct product={p} />
      </div>
      {created && (
        <p className="notice notice-ok" role="status">
          Product created.
        </p>
      )}
      <p className="product-facts">
        <code>{p.sku}</code> · {formatMoney(p.price_cents)} · <span data-testid="stock">Stock {p.stock}</span> ·{' '}
        <Availability product={p} />
      </p>
      <div className="two-columns">
        <EditProduct product={p} />
        <div className="stack">
          <StockAdjustForm product={p} />
          <MovementHistory productId={p.id} />
        </div>
      </div>
    </>
  );
}
