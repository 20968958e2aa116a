import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { getProduct, updateProduct } from '../../api/products';
import { queryKeys } from '../../api/queryKeys';
import type { Product } from '../../api/model';
import { Availability } from '../../components/Availability';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { formatMoney } from '../../money';
import { ArchiveProduct } from '../../products/ArchiveProduct';
import { MovementHistory } from '../../products/MovementHistory';
import { ProductForm } from '../../products/ProductForm';
import { formFromProduct, toProductPatch, type ProductFormValues } from '../../products/productForm';
import { StockAdjustForm } from '../../products/StockAdjustForm';
import { usePageTitle } from '../../usePageTitle';

function EditProduct({ product, onEdit }: { product: Product; onEdit: () => void }) {
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
        onEdit={() => {
          // "Saved." is about the form as it was saved; the first new edit makes it untrue.
          if (save.isSuccess || save.isError) save.reset();
          onEdit();
        }}
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
  const navigate = useNavigate();
  // "Product created." belongs to the moment of creation: it is read once from the history
  // entry, which is then cleared so a reload does not announce it again, and goes at the first edit.
  const [created, setCreated] = useState(() => (location.state as { created?: boolean } | null)?.created === true);
  useEffect(() => {
    if ((location.state as { created?: boolean } | null)?.created)
      navigate(location.pathname, { replace: true, state: null });
  }, [location.state, location.pathname, navigate]);
  const product = useQuery({ queryKey: queryKeys.product(id), queryFn: () => getProduct(id) });
  usePageTitle(product.data?.name ?? 'Product');

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
        <span data-testid="incoming">Incoming {p.incoming ?? 0}</span> ·{' '}
        <Availability product={p} />
      </p>
      <div className="two-columns">
        <EditProduct product={p} onEdit={() => setCreated(false)} />
        <div className="stack">
          <StockAdjustForm product={p} />
          <MovementHistory productId={p.id} />
        </div>
      </div>
    </>
  );
}
