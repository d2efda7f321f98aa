//! The limit periods, and the running totals checked against re-summing the ledger.

use super::*;
use crate::providers::aggrepay::store::ledger::{self, LedgerError};
use chrono::Duration;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn days_and_months_are_india_time() {
    // 23:59 IST on 31 January is 18:29 UTC; 00:01 IST on 1 February is 18:31 UTC.
    let before = Periods::at(at("2026-01-31T23:59:00+05:30"));
    assert_eq!(
        before.day,
        (
            "2026-01-30T18:30:00.000Z".into(),
            "2026-01-31T18:30:00.000Z".into()
        )
    );
    assert_eq!(
        before.month,
        (
            "2025-12-31T18:30:00.000Z".into(),
            "2026-01-31T18:30:00.000Z".into()
        )
    );
    let after = Periods::at(at("2026-02-01T00:01:00+05:30"));
    assert_eq!(
        after.day,
        (
            "2026-01-31T18:30:00.000Z".into(),
            "2026-02-01T18:30:00.000Z".into()
        )
    );
    assert_eq!(
        after.month,
        (
            "2026-01-31T18:30:00.000Z".into(),
            "2026-02-28T18:30:00.000Z".into()
        )
    );
    let december = Periods::at(at("2026-12-31T20:00:00Z"));
    assert_eq!(
        december.month,
        (
            "2026-12-31T18:30:00.000Z".into(),
            "2027-01-31T18:30:00.000Z".into()
        )
    );
}

// The sums over the ledger that the running totals replace: the oracle.

/// Credits of a wallet within `[start, end)`, in paise.
fn credits_oracle(conn: &Connection, customer: i64, (start, end): &(String, String)) -> i64 {
    conn.query_row(
        "select coalesce(sum(e.amount), 0) from aggrepay_entries e \
         join aggrepay_transactions t on t.id = e.transaction_row \
         where e.customer_row = ? and e.payment_type = 'CREDIT' \
         and e.created_at >= ? and e.created_at < ? \
         and (t.transaction_type = 'C2C' or (t.transaction_type = 'M2C' \
              and (t.merchant_transaction_id is not null or t.pg_transaction_id is not null)))",
        params![customer, start, end],
        |r| r.get(0),
    )
    .unwrap()
}

/// Debits of a wallet within `[start, end)` that were not reversed: (count, paise).
fn debits_oracle(conn: &Connection, customer: i64, (start, end): &(String, String)) -> (i64, i64) {
    conn.query_row(
        "select count(*), coalesce(sum(e.amount), 0) from aggrepay_entries e \
         where e.customer_row = ? and e.payment_type = 'DEBIT' \
         and e.created_at >= ? and e.created_at < ? \
         and not exists (select 1 from aggrepay_transactions r where r.reverses = e.transaction_row)",
        params![customer, start, end],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

/// Every row that is not all zero, in key order.
fn usage_rows(conn: &Connection) -> Vec<(i64, String, String, i64, i64, i64)> {
    conn.prepare(
        "select customer_row, kind, period_start, debit_count, debit_paise, credit_paise \
         from aggrepay_usage where debit_count != 0 or debit_paise != 0 or credit_paise != 0 \
         order by customer_row, kind, period_start",
    )
    .unwrap()
    .query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// A small deterministic generator (no seed files, same run every time).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn recorded(result: Result<ledger::Recorded, LedgerError>) -> Result<i64, DbError> {
    match result {
        Ok(recorded) => Ok(recorded.row),
        Err(LedgerError::Database(e)) => Err(e),
        Err(other) => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn running_totals_equal_the_ledger_sums_after_a_mixed_sequence() {
    let db = crate::catalogue::database("sqlite::memory:").unwrap();
    let customers = [1i64, 2, 3];
    // Around a month end in India time: 28 January to 8 March 2026 (UTC), minutes apart,
    // in random order (back-dated entries, a clock moved back and forth), plus the last
    // and first millisecond of an India day and month.
    let base = at("2026-01-28T00:00:00Z");
    let edges = [
        at("2026-01-31T18:29:59.999Z"),
        at("2026-01-31T18:30:00.000Z"),
        at("2026-02-28T18:29:59.999Z"),
        at("2026-02-28T18:30:00.000Z"),
    ];
    let instants = db
        .write(|c| -> Result<Vec<DateTime<Utc>>, DbError> {
            c.execute_batch(
                "insert into aggrepay_merchants (id, api_key, salt, max_balance, monthly_credit, \
                 monthly_debit, daily_debit_count, daily_debit_amount) \
                 values (1, 'k', 's', '0', '0', '0', 0, '0');
                 insert into aggrepay_customers (id, merchant_id, customer_id, mobile_number, mpin, created_at) values
                 (1, 1, '100000001', '+919000000001', '1234', '2026-01-01T00:00:00.000Z'),
                 (2, 1, '100000002', '+919000000002', '1234', '2026-01-01T00:00:00.000Z'),
                 (3, 1, '100000003', '+919000000003', '1234', '2026-01-01T00:00:00.000Z');",
            )?;
            let mut random = Lcg(20_261_121);
            let mut instants = Vec::new();
            // Debits that may still be reversed: (transaction row, paying customer).
            let mut reversible: Vec<(i64, i64, i64)> = Vec::new();
            let balance = |customer: i64| -> Result<i64, DbError> {
                c.query_row(
                    "select balance from aggrepay_customers where id = ?",
                    [customer],
                    |r| r.get(0),
                )
            };
            for i in 0..600u64 {
                let when = if random.below(10) == 0 {
                    edges[random.below(4) as usize]
                } else {
                    base + Duration::minutes(random.below(40 * 24 * 60) as i64)
                };
                instants.push(when);
                let who = customers[random.below(3) as usize];
                let other = customers[(who as usize + random.below(2) as usize) % 3];
                let amount = 1 + random.below(50_000) as i64;
                let id = format!("M{i}");
                let pg = format!("PG{i}");
                let mut movement = Movement {
                    transaction_id: Some(100_000_000 + i as i64),
                    ..Movement::new(1, Kind::M2C, amount, when)
                };
                match random.below(7) {
                    // An opening balance: no credit of its month.
                    0 => movement.credit = Some(who),
                    // `creditwallet`, and a fixture M2C with only one of the two ids.
                    1 => {
                        movement.credit = Some(who);
                        movement.merchant_transaction_id = Some(&id);
                        movement.pg_transaction_id = Some(&pg);
                    }
                    2 => {
                        movement.credit = Some(who);
                        movement.merchant_transaction_id = Some(&id);
                    }
                    3 => {
                        movement.credit = Some(who);
                        movement.pg_transaction_id = Some(&pg);
                    }
                    // A debit or a transfer the wallet can pay.
                    4 | 5 if balance(who)? >= amount => {
                        movement.debit = Some(who);
                        movement.merchant_transaction_id = Some(&id);
                        if random.below(2) == 0 {
                            movement.kind = Kind::C2M;
                        } else {
                            movement.kind = Kind::C2C;
                            movement.credit = Some(other);
                        }
                    }
                    // A reversal, now, of a debit of any earlier time.
                    6 if !reversible.is_empty() => {
                        let (row, paid, payer) =
                            reversible.swap_remove(random.below(reversible.len() as u64) as usize);
                        movement.kind = Kind::Reversal;
                        movement.amount = paid;
                        movement.reverses = Some(row);
                        movement.credit = Some(payer);
                        movement.merchant_transaction_id = Some(&id);
                    }
                    _ => {
                        movement.credit = Some(who);
                        movement.pg_transaction_id = Some(&pg);
                    }
                }
                let row = recorded(ledger::record(c, &movement))?;
                if movement.kind == Kind::C2M || movement.kind == Kind::C2C {
                    reversible.push((row, amount, who));
                }
            }
            instants.extend(edges);
            Ok(instants)
        })
        .await
        .unwrap();

    // A write: the end drops and rebuilds a table (read connections are read-only).
    db.write(|c| {
        let reversals: i64 = c
            .query_row(
                "select count(*) from aggrepay_transactions where reverses is not null",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(reversals > 20, "the sequence reverses debits: {reversals}");
        for customer in customers {
            for &instant in &instants {
                let periods = Periods::at(instant);
                let day = usage(c, customer, DAY, &periods.day.0).unwrap();
                let month = usage(c, customer, MONTH, &periods.month.0).unwrap();
                let (day_count, day_paise) = debits_oracle(c, customer, &periods.day);
                let (month_count, month_paise) = debits_oracle(c, customer, &periods.month);
                assert_eq!(
                    (day.debit_count, day.debit_paise, day.credit_paise),
                    (
                        day_count,
                        day_paise,
                        credits_oracle(c, customer, &periods.day)
                    ),
                    "customer {customer}, day of {instant}"
                );
                assert_eq!(
                    (month.debit_count, month.debit_paise, month.credit_paise),
                    (
                        month_count,
                        month_paise,
                        credits_oracle(c, customer, &periods.month)
                    ),
                    "customer {customer}, month of {instant}"
                );
            }
        }
        // The migration builds the same totals from a ledger written before it.
        let running = usage_rows(c);
        assert!(running.len() > 100, "{}", running.len());
        c.execute_batch("drop table aggrepay_usage").unwrap();
        c.execute_batch(include_str!("../../migrations/0010_aggrepay_usage.sql"))
            .unwrap();
        assert_eq!(usage_rows(c), running);
        Ok::<_, DbError>(())
    })
    .await
    .unwrap();
}
