import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { createProduct } from '../../api/products';
import { queryKeys } from '../../api/queryKeys';
import { ProductForm } from '../../products/ProductForm';
import { emptyProductForm, toNewProduct, type ProductFormValues } from '../../products/productForm';
import { usePageTitle } from '../../usePageTitle';

export function NewProductPage() {
  usePageTitle('New product');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (values: ProductFormValues) => createProduct(toNewProduct(values)),
    onSuccess: (product) => {
      queryClient.setQueryData(queryKeys.product(product.id), product);
      void queryClient.invalidateQueries({ queryKey: queryKeys.products });
      navigate(`/admin/products/${product.id}`, { state: { created: true } });
    },
  });

  return (
    <div className="narrow">
      <p>
        <Link to="/admin/products">← Products</Link>
      </p>
      <h1>New product</h1>
      <div className="card">
        <ProductForm
          initial={emptyProductForm}
          creating
          submitLabel="Create product"
          pending={create.isPending}
          error={create.error}
          onSubmit={(values) => create.mutate(values)}
        />
      </div>
    </div>
  );
}
