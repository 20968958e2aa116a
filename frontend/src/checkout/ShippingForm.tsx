import { fieldErrors } from '../api/problem';
import { Field, TextAreaField } from '../components/Field';
import { countryOptions } from './countries';
import {
  MAX_NOTE_CHARS,
  apiFieldFor,
  setShippingField,
  type ShippingField,
  type ShippingValues,
} from './shippingForm';
import { useId, useMemo } from 'react';

interface ShippingFormProps {
  values: ShippingValues;
  /** Problems found in the browser before sending, by form field. */
  localErrors: Partial<Record<ShippingField, string>>;
  /** The API's answer, whose `shipping.*` and `note` errors show by their fields. */
  error: unknown;
  /** A field was edited: its browser-found problem no longer describes it. */
  onEdit?: (field: ShippingField) => void;
}

/** Where the order goes, and a note for the shop; every problem shows beside its field. */
export function ShippingForm({ values, localErrors, error, onEdit }: ShippingFormProps) {
  const countries = useMemo(countryOptions, []);
  const countryId = useId();
  const errorsFor = (field: ShippingField) => {
    const local = localErrors[field];
    return local ? [local] : fieldErrors(error, apiFieldFor(field));
  };
  const input = (field: ShippingField) => ({
    name: field,
    value: values[field],
    onChange: (event: { target: { value: string } }) => {
      setShippingField(field, event.target.value);
      onEdit?.(field);
    },
    errors: errorsFor(field),
  });
  const countryErrors = errorsFor('country');
  const noteLength = [...values.note].length;

  return (
    <fieldset className="shipping">
      <legend>Shipping address</legend>
      <Field label="Full name" autoComplete="shipping name" required {...input('name')} />
      <Field label="Address line 1" autoComplete="shipping address-line1" required {...input('line1')} />
      <Field label="Address line 2 (optional)" autoComplete="shipping address-line2" {...input('line2')} />
      <div className="field-row">
        <Field label="Town or city" autoComplete="shipping address-level2" required {...input('city')} />
        <Field label="Postal code" autoComplete="shipping postal-code" required {...input('postal_code')} />
      </div>
      <div className="field">
        <label htmlFor={countryId}>Country</label>
        <select
          id={countryId}
          name="country"
          autoComplete="shipping country"
          required
          value={values.country}
          onChange={(event) => {
            setShippingField('country', event.target.value);
            onEdit?.('country');
          }}
          aria-invalid={countryErrors.length > 0 ? true : undefined}
          aria-describedby={countryErrors.length > 0 ? `${countryId}-error` : undefined}
        >
          <option value="">Choose a country</option>
          {countries.map((country) => (
            <option key={country.code} value={country.code}>
              {country.name}
            </option>
          ))}
        </select>
        {countryErrors.length > 0 && (
          <p className="field-error" id={`${countryId}-error`}>
            {countryErrors.join(' ')}
          </p>
        )}
      </div>
      <TextAreaField
        label="Note for the shop (optional)"
        rows={3}
        hint={`Delivery instructions, a gift message… ${noteLength}/${MAX_NOTE_CHARS} characters.`}
        {...input('note')}
      />
    </fieldset>
  );
}
