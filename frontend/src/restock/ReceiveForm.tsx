import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError, describeError } from '../api/problem';
import type { PurchaseOrder, ReceiptLine } from '../api/restock';
import { ErrorNotice } from '../components/ErrorNotice';
import { formatMoney } from '../money';
import { useReceive } from './useRestock';

/** A 409 "more than ordered" lists each line with what is still outstanding. */
function overReceived(error: unknown): Map<string, number> {
  const lines = error instanceof ApiError && error.status === 409 ? error.problem.body.lines : undefined;
  const result = new Map<string, number>();
  if (!Array.isArray(lines)) return result;
  for (const line of lines) {
    const record = line as { product_id?: unknown; outstanding?: unknown };
    if (typeof record.product_id === 'string' && typeof record.outstanding === 'number')
      result.set(record.product_id, record.outstanding);
  }
  return result;
}

/**
 * The lines with what was ordered and received; while the order is open, a quantity per line
 * for what arrived now (partial receipts are fine). The API decides what is too much: its 409
 * is shown beside each line it names.
 */
export function ReceiveForm({ order }: { order: PurchaseOrder }) {
  const receive = useReceive(order.id);
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [formProblem, setFormProblem] = useState<string | null>(null);
  const open = order.status === 'open';
  const over = overReceived(receive.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    const found: Record<string, string> = {};
    const lines: ReceiptLine[] = [];
    for (const line of order.lines) {
      const text = (quantities[line.product_id] ?? '').trim();
      if (text === '' || text === '0') continue;
      if (!/^\d+$/.test(text)) found[line.product_id] = 'Enter a whole number of units, or leave it empty.';
      else lines.push({ product_id: line.product_id, quantity: Number(text) });
    }
    setProblems(found);
    if (Object.keys(found).length > 0) return setFormProblem(null);
    if (lines.length === 0) return setFormProblem('Enter how many units arrived on at least one line.');
    setFormProblem(null);
    receive.mutate(lines, { onSuccess: () => setQuantities({}) });
  }

  const received = receive.isSuccess ? receive.variables.reduce((total, line) => total + line.quantity, 0) : 0;
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Receive">
      {receive.isSuccess && (
        <p className="notice notice-ok" role="status">
          Received {received} {received === 1 ? 'unit' : 'units'}; stock is up.
        </p>
      )}
      {receive.isError && over.size === 0 && <ErrorNotice error={receive.error} />}
      {over.size > 0 && (
        <p className="notice notice-error" role="alert">
          {describeError(receive.error)}
        </p>
      )}
      <div className="table-scroll">
        <table className="data po-lines">
          <caption className="visually-hidden">Lines of the purchase order</caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" className="num">
                Ordered
              </th>
              <th scope="col" className="num">
                Received
              </th>
              <th scope="col" className="num">
                Outstanding
              </th>
              <th scope="col" className="num hide-narrow">
                Unit cost
              </th>
              {open && <th scope="col">Arrived now</th>}
            </tr>
          </thead>
          <tbody>
            {order.lines.map((line) => {
              const outstanding = line.quantity - line.received;
              const problem =
                problems[line.product_id] ??
                (over.has(line.product_id) ? `Only ${over.get(line.product_id)} still outstanding.` : undefined);
              const errorId = `receive-${line.product_id}-error`;
              return (
                <tr key={line.product_id} data-product-id={line.product_id}>
                  <td>
                    <Link to={`/admin/products/${line.product_id}`}>{line.name}</Link>{' '}
                    <code className="muted">{line.sku}</code>
                  </td>
                  <td className="num">{line.quantity}</td>
                  <td className="num" data-testid="received">
                    {line.received}
                  </td>
                  <td className="num">{outstanding}</td>
                  <td className="num hide-narrow">
                    {line.unit_cost_cents == null ? '—' : formatMoney(line.unit_cost_cents)}
                  </td>
                  {open && (
                    <td>
                      <input
                        type="number"
                        min={0}
                        step={1}
                        inputMode="numeric"
                        className="qty"
                        aria-label={`Arrived now of ${line.name}`}
                        aria-invalid={problem ? true : undefined}
                        aria-describedby={problem ? errorId : undefined}
                        disabled={outstanding <= 0}
                        value={quantities[line.product_id] ?? ''}
                        onChange={(e) => {
                          setQuantities((q) => ({ ...q, [line.product_id]: e.target.value }));
                          setProblems(({ [line.product_id]: _gone, ...rest }) => rest);
                          if (receive.isError || receive.isSuccess) receive.reset();
                        }}
                      />
                      {problem && (
                        <p className="field-error" id={errorId}>
                          {problem}
                        </p>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {formProblem && (
        <p className="field-error" role="alert">
          {formProblem}
        </p>
      )}
      {open && (
        <button type="submit" disabled={receive.isPending}>
          {receive.isPending ? 'Receiving…' : 'Receive'}
        </button>
      )}
    </form>
  );
}
