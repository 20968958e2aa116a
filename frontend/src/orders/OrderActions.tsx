import type { Order } from '../api/model';
import { ConfirmAction } from '../components/ConfirmAction';
import { shortId } from '../ids';
import { useOrderChange } from './useOrder';

/** Fulfil (staff) and cancel, each confirmed in place, each with its error beside it. */
export function OrderActions({ order, canFulfil }: { order: Order; canFulfil: boolean }) {
  const cancel = useOrderChange('cancel');
  const fulfil = useOrderChange('fulfil');
  if (order.status !== 'confirmed') return null;
  const handle = shortId(order.id);
  return (
    <div className="order-actions">
      {canFulfil && (
        <ConfirmAction
          label={`Fulfil order ${handle}`}
          question={`Mark order ${handle} as fulfilled? Do this once the parcel has left.`}
          confirmLabel="Yes, fulfil"
          keepLabel="Not yet"
          pending={fulfil.isPending}
          pendingLabel="Fulfilling…"
          error={fulfil.error}
          onConfirm={() => fulfil.mutate(order.id)}
          onKeep={() => fulfil.reset()}
        />
      )}
      <ConfirmAction
        label={`Cancel order ${handle}`}
        question={`Cancel order ${handle}? Its items go back into stock; this cannot be undone.`}
        confirmLabel="Yes, cancel order"
        keepLabel="Keep order"
        pending={cancel.isPending}
        pendingLabel="Cancelling…"
        error={cancel.error}
        danger
        onConfirm={() => cancel.mutate(order.id)}
        onKeep={() => cancel.reset()}
      />
    </div>
  );
}
