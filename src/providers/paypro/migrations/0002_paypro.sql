-- PayPro ConnectPay: merchants and their settings.
create table paypro_merchants (
    id integer primary key,
    username text not null unique,
    password text not null,
    company_code text not null unique,
    min_amount text not null,
    max_amount text not null,
    fee text not null,
    services text not null,       -- a JSON array of endpoint names
    utc_offset text not null,
    status_case text not null check (status_case in ('title', 'upper'))
) strict;
