import { centsToInput, parseMoneyToCents, readMoney } from '../money';
import type { NewProduct, Product, ProductPatch } from '../api/model';

/** What the product form holds: text, exactly as typed. */
export interface ProductFormValues {
  sku: string;
  name: string;
  description: string;
  price: string;
  stock: string;
  lowStockThreshold: string;
  /** Empty: not set (the API's 0). */
  reorderQuantity: string;
}

export const emptyProductForm: ProductFormValues = {
  sku: '',
  name: '',
  description: '',
  price: '',
  stock: '0',
  lowStockThreshold: '5',
  reorderQuantity: '',
};

export function formFromProduct(product: Product): ProductFormValues {
  return {
    sku: product.sku,
    name: product.name,
    description: product.description ?? '',
    price: centsToInput(product.price_cents),
    stock: String(product.stock),
    lowStockThreshold: String(product.low_stock_threshold),
    reorderQuantity: product.reorder_quantity ? String(product.reorder_quantity) : '',
  };
}

/** Errors the browser can tell before asking the API, keyed by the API's field names. */
export type LocalErrors = Partial<
  Record<'sku' | 'name' | 'description' | 'price_cents' | 'stock' | 'low_stock_threshold' | 'reorder_quantity', string>
>;

// The API's limits (API.md, Products); checked here so that every problem shows at once.
const MAX_SKU = 64;
const MAX_NAME = 200;
const MAX_DESCRIPTION = 5000;
const MAX_PRICE_CENTS = 100_000_000;
const MAX_COUNT = 1_000_000_000;

function wholeNumber(text: string): number | null {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : null;
}

function checkCount(text: string, optional: boolean): string | undefined {
  if (text.trim() === '') return optional ? undefined : 'Enter a whole number, 0 or more.';
  const value = wholeNumber(text);
  if (value === null) return 'Enter a whole number, 0 or more, without a decimal mark.';
  if (value > MAX_COUNT) return 'That is more than the shop can count (at most 1,000,000,000).';
  return undefined;
}

/** Every problem with the form at once, in plain words. */
export function checkProductForm(values: ProductFormValues, creating: boolean): LocalErrors {
  const errors: LocalErrors = {};
  if (creating) {
    const sku = values.sku.trim();
    if (sku === '') errors.sku = 'Enter a SKU, the code staff use for this product.';
    else if (sku.length > MAX_SKU) errors.sku = `Keep the SKU to ${MAX_SKU} characters or fewer.`;
    else if (!/^[A-Za-z0-9_-]+$/.test(sku)) errors.sku = 'Use only letters, digits, - and _ in the SKU (no spaces).';
  }
  const name = values.name.trim();
  if (name === '') errors.name = 'Enter the name customers will see.';
  else if ([...name].length > MAX_NAME) errors.name = `Keep the name to ${MAX_NAME} characters or fewer.`;
  if ([...values.description.trim()].length > MAX_DESCRIPTION)
    errors.description = `Keep the description to ${MAX_DESCRIPTION} characters or fewer.`;
  const price = readMoney(values.price);
  if ('problem' in price) errors.price_cents = price.problem;
  else if (price.cents > MAX_PRICE_CENTS) errors.price_cents = 'A price can be at most 1,000,000.00.';
  if (creating) {
    const stock = checkCount(values.stock, true);
    if (stock) errors.stock = stock;
  }
  const threshold = checkCount(values.lowStockThreshold, true);
  if (threshold) errors.low_stock_threshold = threshold;
  const reorder = checkCount(values.reorderQuantity, true);
  if (reorder) errors.reorder_quantity = reorder;
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
  const reorder = wholeNumber(values.reorderQuantity);
  if (reorder !== null) product.reorder_quantity = reorder;
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
  // Emptied means "not set", which the API writes as 0.
  patch.reorder_quantity = wholeNumber(values.reorderQuantity) ?? 0;
  return patch;
}
