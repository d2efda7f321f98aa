-- AggrePay wallet limits: running totals per customer wallet and India-time period, so a limit
-- check reads two rows instead of re-summing the ledger (bench/ANALYSIS.md, point 3).
-- Derived state: `ledger::record` keeps it in the same transaction as every entry (a reversal
-- takes its debit back out of the periods of the debit's own created_at); fixture exports
-- leave it out, and loading fixtures rebuilds it through the ledger.
--   kind          'day' (00:00 to 24:00 IST) or 'month' (from the 1st at 00:00 IST)
--   period_start  the period's first instant as a stamp (RFC 3339 UTC with milliseconds)
--   debit_count, debit_paise  debits (C2M, outgoing C2C) of the period not reversed
--   credit_paise  credits (`creditwallet` M2C, incoming C2C) of the period; no opening
--                 balances, no reversals
create table aggrepay_usage (
    customer_row integer not null references aggrepay_customers (id) on delete cascade,
    kind text not null check (kind in ('day', 'month')),
    period_start text not null,
    debit_count integer not null default 0,
    debit_paise integer not null default 0,
    credit_paise integer not null default 0,
    primary key (customer_row, kind, period_start)
) strict, without rowid;

-- A database written before this migration: the totals of the ledger it already holds.
-- India time is a fixed +05:30, so a period's start is the entry's time moved to India,
-- cut to the day or the month, and moved back.
create temp table aggrepay_usage_seed as
select e.customer_row, e.created_at,
       case when e.payment_type = 'DEBIT' then 1 else 0 end as debit_count,
       case when e.payment_type = 'DEBIT' then e.amount else 0 end as debit_paise,
       case when e.payment_type = 'CREDIT' then e.amount else 0 end as credit_paise
from aggrepay_entries e join aggrepay_transactions t on t.id = e.transaction_row
where (e.payment_type = 'DEBIT'
       and not exists (select 1 from aggrepay_transactions r where r.reverses = e.transaction_row))
   or (e.payment_type = 'CREDIT'
       and (t.transaction_type = 'C2C' or (t.transaction_type = 'M2C'
            and (t.merchant_transaction_id is not null or t.pg_transaction_id is not null))));

insert into aggrepay_usage (customer_row, kind, period_start, debit_count, debit_paise, credit_paise)
select customer_row, 'day',
       strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+330 minutes', 'start of day', '-330 minutes') as start,
       sum(debit_count), sum(debit_paise), sum(credit_paise)
from temp.aggrepay_usage_seed group by customer_row, start;

insert into aggrepay_usage (customer_row, kind, period_start, debit_count, debit_paise, credit_paise)
select customer_row, 'month',
       strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+330 minutes', 'start of month', '-330 minutes') as start,
       sum(debit_count), sum(debit_paise), sum(credit_paise)
from temp.aggrepay_usage_seed group by customer_row, start;

drop table temp.aggrepay_usage_seed;
