import { useState, type FormEvent } from 'react';
import { fieldErrors } from '../api/problem';
import { ErrorNotice } from '../components/ErrorNotice';
import { Field, TextAreaField, focusFirstInvalid } from '../components/Field';
import { checkProductForm, type LocalErrors, type ProductFormValues } from './productForm';

interface ProductFormProps {
  initial: ProductFormValues;
  /** Called on every edit, so a notice about the last save can go once the form differs from it. */
  onEdit?: () => void;
  creating: boolean;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: ProductFormValues) => void;
}

const API_FIELDS = ['sku', 'name', 'description', 'price_cents', 'stock', 'low_stock_threshold', 'reorder_quantity'];

const FIELD_OF: Record<keyof ProductFormValues, keyof LocalErrors> = {
  sku: 'sku',
  name: 'name',
  description: 'description',
  price: 'price_cents',
  stock: 'stock',
  lowStockThreshold: 'low_stock_threshold',
  reorderQuantity: 'reorder_quantity',
};

/** Create and edit share one form; sku and opening stock are fixed after creation. */
export function ProductForm({ initial, onEdit, creating, submitLabel, pending, error, onSubmit }: ProductFormProps) {
  const [values, setValues] = useState(initial);
  const [localErrors, setLocalErrors] = useState<LocalErrors>({});

  const set = (key: keyof ProductFormValues) => (event: { target: { value: string } }) => {
    setValues((current) => ({ ...current, [key]: event.target.value }));
    // The edited field's problem was about its old value.
    const field = FIELD_OF[key];
    setLocalErrors((current) => {
      const { [field]: _fixed, ...rest } = current;
      return rest;
    });
    onEdit?.();
  };

  const errorsFor = (field: keyof LocalErrors) => {
    const local = localErrors[field];
    return local ? [local] : fieldErrors(error, field);
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = checkProductForm(values, creating);
    setLocalErrors(found);
    if (Object.keys(found).length === 0) onSubmit(values);
    else focusFirstInvalid(event.currentTarget as HTMLFormElement);
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      {Object.keys(localErrors).length > 0 && (
        <p className="notice notice-error" role="alert">
          Please correct the {Object.keys(localErrors).length === 1 ? 'field' : 'fields'} marked below.
        </p>
      )}
      <ErrorNotice error={error} claimedFields={API_FIELDS} />
      {creating && (
        <Field
          label="SKU"
          name="sku"
          required
          hint="1–64 letters, digits, - or _."
          value={values.sku}
          onChange={set('sku')}
          errors={errorsFor('sku')}
        />
      )}
      <Field label="Name" name="name" required value={values.name} onChange={set('name')} errors={errorsFor('name')} />
      <TextAreaField
        label="Description"
        name="description"
        rows={3}
        value={values.description}
        onChange={set('description')}
        errors={errorsFor('description')}
      />
      <div className="field-row">
        <Field
          label="Price"
          name="price"
          inputMode="decimal"
          required
          hint="In currency units, e.g. 12.50 (12,50 works too)."
          value={values.price}
          onChange={set('price')}
          errors={errorsFor('price_cents')}
        />
        {creating && (
          <Field
            label="Opening stock"
            name="stock"
            inputMode="numeric"
            value={values.stock}
            onChange={set('stock')}
            errors={errorsFor('stock')}
          />
        )}
        <Field
          label="Low-stock threshold"
          name="low_stock_threshold"
          inputMode="numeric"
          value={values.lowStockThreshold}
          onChange={set('lowStockThreshold')}
          errors={errorsFor('low_stock_threshold')}
        />
        <Field
          label="Reorder quantity"
          name="reorder_quantity"
          inputMode="numeric"
          hint="What you usually order at once; Restock suggests at least this. Empty: not set."
          value={values.reorderQuantity}
          onChange={set('reorderQuantity')}
          errors={errorsFor('reorder_quantity')}
        />
      </div>
      <button type="submit" disabled={pending}>
        {pending ? 'Saving…' : submitLabel}
      </button>
    </form>
  );
}
