import type { Shipping } from '../api/model';
import { countryName } from '../checkout/countries';

/** A postal address as it goes on a parcel. */
export function AddressBlock({ shipping }: { shipping: Shipping | null | undefined }) {
  if (!shipping) return <p className="muted">No shipping address was given.</p>;
  return (
    <address className="address" data-testid="shipping-address">
      {shipping.name}
      <br />
      {shipping.line1}
      {shipping.line2 && (
        <>
          <br />
          {shipping.line2}
        </>
      )}
      <br />
      {shipping.postal_code} {shipping.city}
      <br />
      {countryName(shipping.country)}
    </address>
  );
}
