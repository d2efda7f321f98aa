-- AggrePay wallet: merchants and their default wallet limits (amounts as decimal text).
create table aggrepay_merchants (
    id integer primary key,
    api_key text not null unique,
    salt text not null,
    fixed_otp text,
    max_balance text not null,
    monthly_credit text not null,
    monthly_debit text not null,
    daily_debit_count integer not null,
    daily_debit_amount text not null
) strict;
