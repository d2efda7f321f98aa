-- The dashboard's order list (newest first, 50 a page) filtered by merchant, by status or by
-- the start of an order number: each filter walks an index in id order instead of sorting
-- every matching order, so a page stays fast with 100,000 orders.
create index paypro_orders_by_merchant on paypro_orders (merchant_id, id);
create index paypro_orders_by_status on paypro_orders (status, id);
create index paypro_orders_by_key on paypro_orders (order_key, id);
