import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { fieldErrors } from '../../api/problem';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../usePageTitle';
import { AdviceCard } from '../../restock/AdviceCard';
import { SuggestionsTable } from '../../restock/SuggestionsTable';
import { useOrderSuggestions, useSuggestions } from '../../restock/useRestock';

const SUPPLIER_MAX = 200;

/** Suggestions with their days of cover; chosen ones become one purchase order. */
export function RestockPage() {
  usePageTitle('Restock');
  const navigate = useNavigate();
  const suggestions = useSuggestions();
  const create = useOrderSuggestions();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [supplier, setSupplier] = useState('');
  const [problems, setProblems] = useState<{ supplier?: string; selection?: string }>({});

  const items = suggestions.data?.items ?? [];
  // Only what is still on the list counts: a product that left it (received meanwhile) drops out.
  const chosen = items.filter((item) => selected.has(item.product_id) && item.suggested_quantity > 0);
  const orderable = items.filter((item) => item.suggested_quantity > 0);

  function toggle(productId: string) {
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(productId)) next.delete(productId);
      else next.add(productId);
      return next;
    });
    setProblems((p) => ({ ...p, selection: undefined }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const name = supplier.trim();
    const found: typeof problems = {};
    if (!name) found.supplier = 'Enter the supplier this order goes to.';
    else if (name.length > SUPPLIER_MAX) found.supplier = `Keep the supplier to ${SUPPLIER_MAX} characters.`;
    if (chosen.length === 0) found.selection = 'Choose at least one product to order.';
    setProblems(found);
    if (found.supplier || found.selection) return;
    create.mutate(
      { supplier: name, productIds: chosen.map((item) => item.product_id) },
      { onSuccess: (order) => navigate(`/admin/purchase-orders/${order.id}`, { state: { created: true } }) },
    );
  }

  return (
    <>
      <div className="page-head">
        <h1>Restock</h1>
        <Link to="/admin/purchase-orders">Purchase orders</Link>
      </div>
      <p className="muted">
        Products whose stock and incoming will not last 14 days at the last 28 days&apos; sales, or that are at
        or below their threshold. Suggested quantities cover 28 days, at least the product&apos;s reorder quantity.
      </p>
      {suggestions.isPending && <Loading label="Loading suggestions…" />}
      {suggestions.isError && <ErrorNotice error={suggestions.error} />}
      {suggestions.isSuccess && (
        <div className="stack">
          <AdviceCard advice={suggestions.data.advice ?? null} />
          <section className="card" aria-labelledby="suggestions-heading">
            <h2 id="suggestions-heading">Suggestions</h2>
            {items.length === 0 ? (
              <p className="empty">Nothing needs ordering: every product is covered.</p>
            ) : (
              <form className="form" onSubmit={submit} noValidate>
                <div className="row">
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => setSelected(new Set(orderable.map((item) => item.product_id)))}
                    disabled={orderable.length === 0}
                  >
                    Select all to order
                  </button>
                  <button type="button" className="link-button" onClick={() => setSelected(new Set())}>
                    Clear selection
                  </button>
                </div>
                <SuggestionsTable items={items} selected={selected} onToggle={toggle} />
                {problems.selection && (
                  <p className="field-error" role="alert">
                    {problems.selection}
                  </p>
                )}
                <ErrorNotice error={create.error} claimedFields={['supplier']} />
                <Field
                  label="Supplier"
                  name="supplier"
                  required
                  maxLength={SUPPLIER_MAX}
                  value={supplier}
                  onChange={(e) => {
                    setSupplier(e.target.value);
                    setProblems((p) => ({ ...p, supplier: undefined }));
                  }}
                  errors={problems.supplier ? [problems.supplier] : fieldErrors(create.error, 'supplier')}
                />
                <p className="muted" role="status">
                  {chosen.length === 0
                    ? 'No product chosen.'
                    : `${chosen.length} ${chosen.length === 1 ? 'product' : 'products'}, ${chosen.reduce(
                        (sum, item) => sum + item.suggested_quantity,
                        0,
                      )} units.`}
                </p>
                <button type="submit" disabled={create.isPending}>
                  {create.isPending ? 'Creating…' : 'Create purchase order'}
                </button>
              </form>
            )}
          </section>
        </div>
      )}
    </>
  );
}
