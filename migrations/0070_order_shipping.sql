-- Where an order goes and what the customer asked for: the shipping address (checked by the
-- handler: name, line1, city, postal_code 1-200 chars, line2 optional, country ISO 3166-1
-- alpha-2) and a note of at most 500 characters, shown to staff and never sent to the AI.
ALTER TABLE orders.orders
    ADD COLUMN shipping jsonb CHECK (shipping IS NULL OR jsonb_typeof(shipping) = 'object'),
    ADD COLUMN note     text  CHECK (note IS NULL OR char_length(note) BETWEEN 1 AND 500);

-- Staff filter the order list by status, newest first, keyset-paged by (created_at, id).
CREATE INDEX orders_by_status_time ON orders.orders (status, created_at DESC, id DESC);
