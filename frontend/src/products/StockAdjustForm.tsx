import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { fieldErrors } from '../api/problem';
import { adjustStock } from '../api/products';
import { queryKeys } from '../api/queryKeys';
import type { Product } from '../api/model';
import { ErrorNotice } from '../components/ErrorNotice';
import { Field } from '../components/Field';

export function StockAdjustForm({ product }: { product: Product }) {
  const queryClient = useQueryClient();
  const [delta, setDelta] = useState('');
  const [reason, setReason] = useState('');
  const [deltaProblem, setDeltaProblem] = useState<string | null>(null);
  const adjust = useMutation({
    mutationFn: (adjustment: { delta: number; reason: string }) => adjustStock(product.id, adjustment),
    onSuccess: (saved) => {
      queryClient.setQueryData(queryKeys.product(saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: queryKeys.movements(saved.id) });
      void queryClient.invalidateQueries({ queryKey: ['products', 'list'] });
      setDelta('');
      setReason('');
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const value = Number(delta);
    if (!/^[-+]?\d+$/.test(delta.trim()) || value === 0) {
      setDeltaProblem('Enter a whole number other than 0: positive adds stock, negative removes it.');
      return;
    }
    setDeltaProblem(null);
    adjust.mutate({ delta: value, reason: reason.trim() });
  }

  return (
    <section className="card" aria-labelledby="adjust-heading">
      <h2 id="adjust-heading">Adjust stock</h2>
      <form className="form" onSubmit={submit} noValidate>
        <ErrorNotice error={adjust.error} claimedFields={['delta', 'reason']} />
        {adjust.isSuccess && (
          <p className="notice notice-ok" role="status">
            Stock is now {adjust.data.stock}.
          </p>
        )}
        <Field
          label="Change in stock"
          name="delta"
          type="number"
          step={1}
          required
          hint={`Positive adds, negative removes. Now ${product.stock}.`}
          value={delta}
          onChange={(e) => setDelta(e.target.value)}
          errors={deltaProblem ? [deltaProblem] : fieldErrors(adjust.error, 'delta')}
        />
        <Field
          label="Reason"
          name="reason"
          required
          maxLength={200}
          hint="For example: delivery received, stock count, damaged."
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          errors={fieldErrors(adjust.error, 'reason')}
        />
        <button type="submit" disabled={adjust.isPending}>
          {adjust.isPending ? 'Saving…' : 'Adjust stock'}
        </button>
      </form>
    </section>
  );
}
