-- PayPro ConnectPay: orders and consumers, each belonging to one merchant.

create table paypro_orders (
    id integer primary key,
    merchant_id integer not null references paypro_merchants (id) on delete cascade,
    connectpay_id text not null unique,      -- company code + YY + DDD + 5-digit daily sequence
    order_number text not null,              -- as sent
    order_key text not null,                 -- order_number in lower case: unique per merchant,
                                             -- case-insensitive as SQL Server (NOCASE is ASCII-only)
    order_amount text not null,              -- decimal(18,2) as text: "4400.00"
    amount_within_due text not null,
    amount_after_due text not null,
    fee text not null,
    order_due_date text not null,            -- yyyy-mm-dd
    issue_date text not null,                -- yyyy-mm-dd
    order_type text not null,
    order_type_id text,
    transaction_status text,
    customer_name text not null,
    customer_mobile text not null,
    customer_email text not null,
    customer_address text not null,
    customer_bank text not null,
    bill_detail text,                        -- JSON as sent (BillDetail01), or null
    expire_after_seconds integer not null,   -- 0: never
    status text not null check (status in ('unpaid', 'paid', 'blocked', 'refunded')),
    created_at text not null,                -- RFC 3339, UTC
    paid_at text,
    amount_paid text,
    blocked_at text,
    refunded_at text,
    refunded_amount text,
    unique (merchant_id, order_key)
) strict;

create table paypro_consumers (
    id integer primary key,
    merchant_id integer not null references paypro_merchants (id) on delete cascade,
    consumer_id text not null,               -- 1 to 16 digits; FullConsumerCode = company code + it
    name text not null,
    mobile text not null,
    email text not null,
    address text not null,
    created_at text not null,                -- RFC 3339, UTC
    unique (merchant_id, consumer_id)
) strict;
