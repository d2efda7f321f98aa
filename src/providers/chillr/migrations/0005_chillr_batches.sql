-- Chillr mass collect: the registry of Chillr users, batches and their collect requests.

-- Shared by all merchants: a customer can pay only when registered here.
create table chillr_users (
    id integer primary key,
    msisdn text not null unique
) strict;

create table chillr_batches (
    id integer primary key,
    batch_id text not null unique,          -- 24 hex characters, ObjectId style
    merchant_id integer not null references chillr_merchants (id) on delete cascade,
    name text not null,
    expiry_date text not null,              -- yyyy-mm-dd; expires at the end of it, India time
    created_at text not null                -- RFC 3339, UTC
) strict;

-- One row per customer as submitted, in order. Non-Chillr customers have no transaction.
create table chillr_customers (
    id integer primary key,
    batch_id integer not null references chillr_batches (id) on delete cascade,
    position integer not null,
    msisdn text not null,
    amount text not null,                   -- as submitted: "200", "99.50"
    transaction_id text unique,             -- 12 digits; null for a non-Chillr customer
    payment_status text check (payment_status in ('pending', 'paid', 'declined')),
    acted_at text,                          -- RFC 3339, UTC: when paid or declined
    unique (batch_id, msisdn),
    unique (batch_id, position),
    check ((transaction_id is null) = (payment_status is null))
) strict;
