-- Chillr mass collect: merchants.
create table chillr_merchants (
    id integer primary key,
    api_key text not null unique,
    api_secret_key text not null
) strict;
