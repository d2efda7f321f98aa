-- AggrePay wallet: customers and their wallets, OTPs, payment-gateway records, the ledger,
-- sub merchants. Money is integer paise: sums for limits are exact in SQL.

create table aggrepay_customers (
    id integer primary key,
    merchant_id integer not null references aggrepay_merchants (id) on delete cascade,
    customer_id text not null unique,        -- 9 digits
    mobile_number text not null,             -- +91XXXXXXXXXX
    email text,
    first_name text,
    last_name text,
    date_of_birth text,                      -- yyyy-mm-dd
    address_line_1 text,
    address_line_2 text,
    city text,
    pincode text,
    description text,
    mpin text not null,                      -- 4 digits
    active integer not null default 1,
    balance integer not null default 0 check (balance >= 0), -- paise; always the ledger's sum
    created_at text not null,                -- RFC 3339, UTC
    -- per-customer limit overrides; null takes the merchant's
    max_balance integer,
    monthly_credit integer,
    monthly_debit integer,
    daily_debit_count integer,
    daily_debit_amount integer,
    unique (merchant_id, mobile_number)
) strict;

-- The SMS outbox: every OTP sent, oldest first.
create table aggrepay_otps (
    id integer primary key,
    merchant_id integer not null references aggrepay_merchants (id) on delete cascade,
    mobile_number text not null,
    email text,
    otp text not null,
    purpose text not null check (purpose in ('registration', 'customer')),
    created_at text not null,
    expires_at text not null,
    used integer not null default 0,
    superseded integer not null default 0    -- a later OTP for the same number and purpose
) strict;
create index aggrepay_otps_by_number on aggrepay_otps (merchant_id, mobile_number, purpose, id);

create table aggrepay_pg_transactions (
    id integer primary key,
    merchant_id integer not null references aggrepay_merchants (id) on delete cascade,
    pg_transaction_id text not null,
    amount integer not null check (amount > 0),
    used integer not null default 0,
    created_at text not null,
    unique (merchant_id, pg_transaction_id)
) strict;

-- One row per wallet operation (M2C credit, C2M debit, C2C transfer, reversal).
create table aggrepay_transactions (
    id integer primary key,
    merchant_id integer not null references aggrepay_merchants (id) on delete cascade,
    transaction_id integer not null unique,  -- 9 digits
    merchant_transaction_id text,
    transaction_type text not null check (transaction_type in ('M2C', 'C2M', 'C2C', 'REVERSAL')),
    amount integer not null check (amount > 0),
    description text,
    pg_transaction_id text,
    to_sub_merchant_id integer,
    reverses integer references aggrepay_transactions (id),
    created_at text not null,
    unique (merchant_id, merchant_transaction_id)
) strict;
create unique index aggrepay_one_reversal on aggrepay_transactions (reverses) where reverses is not null;

-- The ledger: one entry per wallet a transaction touches.
create table aggrepay_entries (
    id integer primary key,
    transaction_row integer not null references aggrepay_transactions (id) on delete cascade,
    customer_row integer not null references aggrepay_customers (id) on delete cascade,
    payment_type text not null check (payment_type in ('CREDIT', 'DEBIT')),
    amount integer not null check (amount > 0),
    balance_after integer not null check (balance_after >= 0),
    created_at text not null
) strict;
-- Listings (newest first, ties by insertion) and limit sums over a day or a month.
create index aggrepay_entries_by_customer on aggrepay_entries (customer_row, created_at, id);
-- A transaction's entries (listings, exports, and the cascade when a transaction goes).
create index aggrepay_entries_by_transaction on aggrepay_entries (transaction_row);

create table aggrepay_sub_merchants (
    id integer primary key,
    merchant_id integer not null references aggrepay_merchants (id) on delete cascade,
    sub_merchant_id integer not null,        -- 1, 2, 3... per merchant
    name text not null,
    mobile_number text not null,
    email text not null,
    account_number text not null,
    account_name text not null,
    ifsc_code text not null,
    bank_name text not null,
    bank_branch text not null,
    created_at text not null,
    unique (merchant_id, sub_merchant_id)
) strict;
