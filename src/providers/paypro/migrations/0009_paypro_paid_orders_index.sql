-- gpojson lists a merchant's orders paid in a range, in order of payment: this index answers
-- that range in order, without sorting every paid order of the merchant.
create index paypro_orders_paid on paypro_orders (merchant_id, paid_at, id);
