import { centsToInput, parseMoneyToCents } from '../../money';
import type { NewProduct, Product, ProductPatch } from '../../api/types';

/** What the product form holds: text, exactly as typed. */
export interface ProductFormValues {
  sku: string;
  name: string;
  description: string;
  price: string;
  stock: string;
  lowStockThreshold: string;
}

export const emptyProductForm: ProductFormValues = {
  sku: '',
  name: '',
  description: '',
  price: '',
  stock: '0',
  lowStockThreshold: '5',
};

export function formFromProduct(product: Product): ProductFormValues {
  return {
    sku: product.sku,
    name: product.name,
    description: product.description ?? '',
    price: centsToInput(product.price_cents),
    stock: String(product.stock),
    lowStockThreshold: String(product.low_stock_threshold),
  };
}

/** Errors the browser can tell before asking the API, keyed by the API's field names. */
export type LocalErrors = Partial<Record<'price_cents' | 'stock' | 'low_stock_threshold', string>>;

function wholeNumber(text: string): number | null {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : null;
}

export function checkProductForm(values: ProductFormValues, creating: boolean): LocalErrors {
  const errors: LocalErrors = {};
  if (parseMoneyToCents(values.price) === null) errors.price_cents = 'Enter a price such as 12.50.';
  if (creating && values.stock.trim() !== '' && wholeNumber(values.stock) === null)
    errors.stock = 'Enter a whole number, 0 or more.';
  if (values.lowStockThreshold.trim() !== '' && wholeNumber(values.lowStockThreshold) === null)
    errors.low_stock_threshold = 'Enter a whole number, 0 or more.';
  return errors;
}

export function toNewProduct(values: ProductFormValues): NewProduct {
  const product: NewProduct = {
    sku: values.sku.trim(),
    name: values.name.trim(),
    price_cents: parseMoneyToCents(values.price) ?? 0,
  };
  if (values.description.trim()) product.description = values.description.trim();
  const stock = wholeNumber(values.stock);
  if (stock !== null) product.stock = stock;
  const threshold = wholeNumber(values.lowStockThreshold);
  if (threshold !== null) product.low_stock_threshold = threshold;
  return product;
}

export function toProductPatch(values: ProductFormValues): ProductPatch {
  const patch: ProductPatch = {
    name: values.name.trim(),
    description: values.description.trim(),
    price_cents: parseMoneyToCents(values.price) ?? 0,
  };
  const threshold = wholeNumber(values.lowStockThreshold);
  if (threshold !== null) patch.low_stock_threshold = threshold;
  return patch;
}
