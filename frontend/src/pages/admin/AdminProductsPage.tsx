import { Link, useSearchParams } from 'react-router';
import { ErrorNotice } from '../../components/ErrorNotice';
import { LoadMore } from '../../components/LoadMore';
import { Loading } from '../../components/Loading';
import { SearchForm } from '../../components/SearchForm';
import { useProductPages } from '../../api/useProductPages';
import { ProductTable } from '../../products/ProductTable';
import { usePageTitle } from '../../usePageTitle';

export function AdminProductsPage() {
  usePageTitle('Products');
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const pages = useProductPages(q);

  return (
    <>
      <div className="page-head">
        <h1>Products</h1>
        <Link className="button" to="/admin/products/new">
          New product
        </Link>
      </div>
      <SearchForm initial={q} onSearch={(text) => setParams(text ? { q: text } : {})} />
      {pages.isPending && <Loading label="Loading products…" />}
      {pages.isError && <ErrorNotice error={pages.error} />}
      {pages.isSuccess && pages.products.length === 0 && <p className="empty">No products found.</p>}
      {pages.products.length > 0 && <ProductTable products={pages.products} caption="Active products" />}
      <LoadMore {...pages} label="More products" />
    </>
  );
}
