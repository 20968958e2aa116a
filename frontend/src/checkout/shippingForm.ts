import { useSyncExternalStore } from 'react';
import type { NewOrderExtras } from '../api/model';
import { isCountryCode } from './countries';

/** The checkout's address and note, as typed. Kept for the tab's session, so a detour to sign in loses nothing. */
export interface ShippingValues {
  name: string;
  line1: string;
  line2: string;
  city: string;
  postal_code: string;
  country: string;
  note: string;
}

export type ShippingField = keyof ShippingValues;

export const emptyShipping: ShippingValues = {
  name: '',
  line1: '',
  line2: '',
  city: '',
  postal_code: '',
  country: '',
  note: '',
};

// The API's limits (API.md, Orders).
export const MAX_ADDRESS_CHARS = 200;
export const MAX_NOTE_CHARS = 500;

const REQUIRED: Record<Exclude<ShippingField, 'line2' | 'note' | 'country'>, string> = {
  name: 'Enter the name of the person the parcel is for.',
  line1: 'Enter the street and house number.',
  city: 'Enter the town or city.',
  postal_code: 'Enter the postal code.',
};

const length = (text: string) => [...text.trim()].length;

/** Every problem with the address at once, in plain words, keyed by form field. */
export function checkShipping(values: ShippingValues): Partial<Record<ShippingField, string>> {
  const errors: Partial<Record<ShippingField, string>> = {};
  for (const [field, message] of Object.entries(REQUIRED) as [ShippingField, string][]) {
    if (length(values[field]) === 0) errors[field] = message;
    else if (length(values[field]) > MAX_ADDRESS_CHARS)
      errors[field] = `Keep this to ${MAX_ADDRESS_CHARS} characters or fewer.`;
  }
  if (length(values.line2) > MAX_ADDRESS_CHARS) errors.line2 = `Keep this to ${MAX_ADDRESS_CHARS} characters or fewer.`;
  if (!isCountryCode(values.country)) errors.country = 'Choose the country the parcel goes to.';
  if (length(values.note) > MAX_NOTE_CHARS)
    errors.note = `Keep the note to ${MAX_NOTE_CHARS} characters or fewer (it has ${length(values.note)}).`;
  return errors;
}

export function toOrderExtras(values: ShippingValues): NewOrderExtras {
  const extras: NewOrderExtras = {
    shipping: {
      name: values.name.trim(),
      line1: values.line1.trim(),
      city: values.city.trim(),
      postal_code: values.postal_code.trim(),
      country: values.country,
    },
  };
  if (values.line2.trim() && extras.shipping) extras.shipping.line2 = values.line2.trim();
  if (values.note.trim()) extras.note = values.note.trim();
  return extras;
}

/** The API names address fields `shipping.<field>`; the form names them without the prefix. */
export function apiFieldFor(field: ShippingField): string {
  return field === 'note' ? 'note' : `shipping.${field}`;
}

const KEY = 'shop.checkout';
const listeners = new Set<() => void>();
let cached: { raw: string | null; values: ShippingValues } = { raw: null, values: emptyShipping };

export function getShipping(): ShippingValues {
  let raw: string | null = null;
  try {
    raw = sessionStorage.getItem(KEY);
  } catch {
    return emptyShipping;
  }
  if (raw === cached.raw) return cached.values;
  let values = emptyShipping;
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (parsed && typeof parsed === 'object') {
      values = { ...emptyShipping };
      for (const key of Object.keys(emptyShipping) as ShippingField[]) {
        const value = (parsed as Record<string, unknown>)[key];
        if (typeof value === 'string') values[key] = value;
      }
    }
  } catch {
    values = emptyShipping;
  }
  cached = { raw, values };
  return values;
}

export function setShippingField(field: ShippingField, value: string): void {
  sessionStorage.setItem(KEY, JSON.stringify({ ...getShipping(), [field]: value }));
  for (const listener of listeners) listener();
}

/** The note is for one order; the address is kept for the next one in this tab. */
export function clearNote(): void {
  setShippingField('note', '');
}

export function useShipping(): ShippingValues {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getShipping,
    () => emptyShipping,
  );
}
