-- The three indexes of 0011 cost every order written about a twentieth of its CPU (three more
-- B-trees to insert into), for a dashboard page that is read now and then. The dashboard's
-- lists walk the orders newest first by id and filter as they go instead: a page that finds
-- its 50 orders early stops early; the worst (a filter nothing matches) reads every order once.
drop index if exists paypro_orders_by_merchant;
drop index if exists paypro_orders_by_status;
drop index if exists paypro_orders_by_key;
