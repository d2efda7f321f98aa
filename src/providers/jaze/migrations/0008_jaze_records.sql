-- Jaze payment details: an ISP account's users, invoices, payments (with the invoices they
-- pay) and the external payment logs of gateway payments. Ids are the ISP's own numbers,
-- unique per account.

create table jaze_users (
    id integer primary key,
    account_id integer not null references jaze_accounts (id) on delete cascade,
    user_id integer not null,
    customer_number text not null,
    name text,
    unique (account_id, user_id)
) strict;

create table jaze_invoices (
    id integer primary key,
    account_id integer not null references jaze_accounts (id) on delete cascade,
    invoice_id integer not null,
    user_row integer not null references jaze_users (id) on delete cascade,
    amount text not null,                    -- decimal text, two places
    invoice_date text not null,              -- yyyy-mm-dd
    unique (account_id, invoice_id)
) strict;

create table jaze_payments (
    id integer primary key,
    account_id integer not null references jaze_accounts (id) on delete cascade,
    payment_id integer not null,
    user_row integer not null references jaze_users (id) on delete cascade,
    amount text not null,                    -- decimal text, two places
    method text not null check (method in ('cash', 'cheque', 'gateway')),
    bank text,                               -- PaymentInfoCheque's bank; 'Cash' for cash
    created_at text not null,                -- RFC 3339, UTC, milliseconds
    receipt_token text not null unique,      -- the unguessable part of the receipt URL
    unique (account_id, payment_id)
) strict;
create index jaze_payments_by_time on jaze_payments (account_id, created_at);

create table jaze_payment_invoices (
    payment_row integer not null references jaze_payments (id) on delete cascade,
    invoice_row integer not null references jaze_invoices (id) on delete cascade,
    position integer not null,
    primary key (payment_row, invoice_row)
) strict;

-- The external payment log of a gateway payment.
create table jaze_gateway_logs (
    id integer primary key,
    payment_row integer not null unique references jaze_payments (id) on delete cascade,
    merchant_txn_id text not null,
    gateway_txn_id text not null,
    details text not null,                   -- a JSON document as a string, as the sample shows
    currency text not null,                  -- `number` in the answer: INR
    operator text not null                   -- the gateway, e.g. techprocess-pay
) strict;
