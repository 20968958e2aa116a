import { Link } from 'react-router';
import { ErrorNotice } from '../../components/ErrorNotice';
import { LoadMore } from '../../components/LoadMore';
import { Loading } from '../../components/Loading';
import { useProductPages } from '../../api/useProductPages';
import { ProductTable } from '../../products/ProductTable';
import { usePageTitle } from '../../usePageTitle';

export function LowStockPage() {
  usePageTitle('Low stock');
  const pages = useProductPages('', true);
  return (
    <>
      <h1>Low stock</h1>
      <p className="muted">
        Products at or below their low-stock threshold, with what is already on its way. What to order next:{' '}
        <Link to="/admin/restock">Restock suggestions</Link>.
      </p>
      {pages.isPending && <Loading label="Loading low-stock products…" />}
      {pages.isError && <ErrorNotice error={pages.error} />}
      {pages.isSuccess && pages.products.length === 0 && <p className="empty">Nothing is running low.</p>}
      {pages.products.length > 0 && <ProductTable products={pages.products} caption="Products low on stock" />}
      <LoadMore {...pages} label="More products" />
    </>
  );
}
