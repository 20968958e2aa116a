import { useSearchParams } from 'react-router';
import { ErrorNotice } from '../components/ErrorNotice';
import { LoadMore } from '../components/LoadMore';
import { Loading } from '../components/Loading';
import { SearchForm } from '../components/SearchForm';
import { useProductPages } from '../api/useProductPages';
import { ProductTile } from '../components/ProductTile';
import { usePageTitle } from '../usePageTitle';

export function CataloguePage() {
  usePageTitle('Catalogue');
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const pages = useProductPages(q);

  return (
    <>
      <h1>Catalogue</h1>
      <SearchForm initial={q} onSearch={(text) => setParams(text ? { q: text } : {})} />
      {pages.isPending && <Loading label="Loading products…" />}
      {pages.isError && <ErrorNotice error={pages.error} />}
      {pages.isSuccess && pages.products.length === 0 && (
        <p className="empty">{q ? `No products match “${q}”.` : 'No products yet.'}</p>
      )}
      {pages.products.length > 0 && (
        <ul className="product-grid" aria-label="Products">
          {pages.products.map((product) => (
            <ProductTile key={product.id} product={product} />
          ))}
        </ul>
      )}
      <LoadMore {...pages} label="More products" />
    </>
  );
}
