import type { Order, Product } from '../api/model';

export function aProduct(overrides: Partial<Product> = {}): Product {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    sku: 'MUG-01',
    name: 'Blue mug',
    description: 'Holds tea.',
    price_cents: 1250,
    stock: 10,
    low_stock_threshold: 5,
    low_stock: false,
    reorder_quantity: 0,
    incoming: 0,
    created_at: '2026-01-01T10:00:00Z',
    updated_at: '2026-01-01T10:00:00Z',
    ...overrides,
  };
}

export function anOrder(overrides: Partial<Order> = {}): Order {
  return {
    id: '99999999-9999-4999-8999-999999999999',
    user_id: '22222222-2222-4222-8222-222222222222',
    status: 'confirmed',
    items: [
      {
        product_id: '11111111-1111-4111-8111-111111111111',
        sku: 'MUG-01',
        name: 'Blue mug',
        unit_price_cents: 1250,
        quantity: 2,
        line_total_cents: 2500,
      },
    ],
    total_cents: 2500,
    customer_email: 'ada@example.com',
    shipping: { name: 'Ada Lovelace', line1: '12 Analytical Row', city: 'London', postal_code: 'N1 9GU', country: 'GB' },
    note: null,
    summary: { status: 'pending', text: null, risk: null, flags: [], model: null, updated_at: '2026-01-01T10:00:00Z' },
    created_at: '2026-01-01T10:00:00Z',
    updated_at: '2026-01-01T10:00:00Z',
    ...overrides,
  };
}
