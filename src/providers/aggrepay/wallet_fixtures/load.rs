//! Loading the `aggrepay` records of a fixture document, inside the caller's transaction.

use super::types::{CustomerFixture, PgTransactionFixture, SubMerchantFixture, TransactionFixture};
use crate::db::DbError;
use crate::fixtures::{FixtureProblem, SectionError, on_duplicate};
use crate::money::Amount;
use crate::providers::aggrepay::amount::to_paise;
use crate::providers::aggrepay::ledger::{self, Kind, LedgerError, Movement, stamp};
use crate::providers::aggrepay::rules::normalize_mobile;
use chrono::{DateTime, Utc};
use rand::Rng;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;

fn merchant_id(conn: &Connection, api_key: &str) -> Result<Option<i64>, DbError> {
    conn.prepare_cached("select id from aggrepay_merchants where api_key = ?")?
        .query_row(params![api_key], |r| r.get(0))
        .optional()
}

fn problem(path: String, message: impl Into<String>) -> SectionError {
    FixtureProblem::new(path, message).into()
}

/// The merchant row of an api_key, each key looked up once per section (`known`).
fn require_merchant<'a>(
    conn: &Connection,
    known: &mut HashMap<&'a str, i64>,
    api_key: &'a str,
    path: impl FnOnce() -> String,
) -> Result<i64, SectionError> {
    if let Some(id) = known.get(api_key) {
        return Ok(*id);
    }
    let id = merchant_id(conn, api_key)?.ok_or_else(|| {
        problem(
            path(),
            format!("no merchant with api_key `{api_key}` is loaded"),
        )
    })?;
    known.insert(api_key, id);
    Ok(id)
}

pub fn load_customers(
    conn: &Connection,
    customers: &[CustomerFixture],
    now: DateTime<Utc>,
) -> Result<(), SectionError> {
    let mut merchants = HashMap::new();
    let mut insert = conn.prepare_cached(
        "insert into aggrepay_customers (merchant_id, customer_id, mobile_number, email, first_name, \
         last_name, date_of_birth, address_line_1, address_line_2, city, pincode, description, mpin, \
         active, created_at, max_balance, monthly_credit, monthly_debit, daily_debit_count, \
         daily_debit_amount) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id",
    )?;
    for (i, c) in customers.iter().enumerate() {
        let at = |field: &str| format!("customers[{i}].{field}");
        let merchant = require_merchant(conn, &mut merchants, &c.api_key, || at("api_key"))?;
        let mobile = normalize_mobile(&c.mobile_number).ok_or_else(|| {
            problem(
                at("mobile_number"),
                format!("`{}` is not a mobile number", c.mobile_number),
            )
        })?;
        let customer_id = match &c.customer_id {
            Some(id) if id.len() != 9 || !id.bytes().all(|b| b.is_ascii_digit()) => {
                return Err(problem(
                    at("customer_id"),
                    format!("`{id}` is not 9 digits"),
                ));
            }
            Some(id) => id.clone(),
            None => rand::rng()
                .random_range(100_000_000..=999_999_999u32)
                .to_string(),
        };
        if c.mpin.len() != 4 || !c.mpin.bytes().all(|b| b.is_ascii_digit()) {
            return Err(problem(at("mpin"), format!("`{}` is not 4 digits", c.mpin)));
        }
        if let Some(pincode) = &c.pincode
            && (pincode.len() != 6 || !pincode.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(problem(
                at("pincode"),
                format!("`{pincode}` is not 6 digits"),
            ));
        }
        let created_at = c.created_at.unwrap_or(now);
        let paise = |a: Option<Amount>| a.map(to_paise);
        let row: i64 = insert
            .query_row(
                params![
                    merchant,
                    customer_id,
                    mobile,
                    c.email,
                    c.first_name,
                    c.last_name,
                    c.date_of_birth.map(|d| d.to_string()),
                    c.address_line_1,
                    c.address_line_2,
                    c.city,
                    c.pincode,
                    c.description,
                    c.mpin,
                    c.active,
                    stamp(created_at),
                    paise(c.limits.max_balance),
                    paise(c.limits.monthly_credit),
                    paise(c.limits.monthly_debit),
                    c.limits.daily_debit_count,
                    paise(c.limits.daily_debit_amount),
                ],
                |r| r.get(0),
            )
            .map_err(|e| {
                on_duplicate(
                    e,
                    format!("customers[{i}]"),
                    format!("customer_id `{customer_id}` or mobile_number `{mobile}`"),
                )
            })?;
        if let Some(balance) = paise(c.balance).filter(|p| *p > 0) {
            let opening = Movement {
                description: Some("Opening balance"),
                credit: Some(row),
                ..Movement::new(merchant, Kind::M2C, balance, created_at)
            };
            ledger::record(conn, &opening).map_err(|e| ledger_problem(e, at("balance")))?;
        }
    }
    Ok(())
}

fn ledger_problem(error: LedgerError, path: String) -> SectionError {
    match error {
        LedgerError::Insufficient => problem(
            path,
            "the paying wallet does not hold this amount at that point",
        ),
        LedgerError::DuplicateMerchantTransactionId => problem(
            path,
            "duplicate merchant_transaction_id: it is already loaded",
        ),
        LedgerError::AlreadyReversed => problem(path, "that transaction is already reversed"),
        LedgerError::Database(e) => on_duplicate(e, path, "transaction_id".into()),
    }
}

pub fn load_pg_transactions(
    conn: &Connection,
    records: &[PgTransactionFixture],
    now: DateTime<Utc>,
) -> Result<(), SectionError> {
    let mut merchants = HashMap::new();
    let mut insert = conn.prepare_cached(
        "insert into aggrepay_pg_transactions (merchant_id, pg_transaction_id, amount, used, created_at) \
         values (?, ?, ?, ?, ?)",
    )?;
    for (i, r) in records.iter().enumerate() {
        let merchant = require_merchant(conn, &mut merchants, &r.api_key, || {
            format!("pg_transactions[{i}].api_key")
        })?;
        if r.amount.value().is_zero() || r.pg_transaction_id.trim().is_empty() {
            return Err(problem(
                format!("pg_transactions[{i}]"),
                "needs a pg_transaction_id and an amount above zero",
            ));
        }
        insert
            .execute(params![
                merchant,
                r.pg_transaction_id.trim(),
                to_paise(r.amount),
                r.used,
                stamp(r.created_at.unwrap_or(now)),
            ])
            .map_err(|e| {
                on_duplicate(
                    e,
                    format!("pg_transactions[{i}].pg_transaction_id"),
                    format!("pg_transaction_id `{}`", r.pg_transaction_id),
                )
            })?;
    }
    Ok(())
}

pub fn load_sub_merchants(
    conn: &Connection,
    records: &[SubMerchantFixture],
    now: DateTime<Utc>,
) -> Result<(), SectionError> {
    let mut merchants = HashMap::new();
    let mut next_number = conn.prepare_cached(
        "select coalesce(max(sub_merchant_id), 0) + 1 from aggrepay_sub_merchants where merchant_id = ?",
    )?;
    let mut insert = conn.prepare_cached(
        "insert into aggrepay_sub_merchants (merchant_id, sub_merchant_id, name, mobile_number, email, \
         account_number, account_name, ifsc_code, bank_name, bank_branch, created_at) \
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )?;
    for (i, r) in records.iter().enumerate() {
        let merchant = require_merchant(conn, &mut merchants, &r.api_key, || {
            format!("sub_merchants[{i}].api_key")
        })?;
        let next: i64 = next_number.query_row(params![merchant], |r| r.get(0))?;
        insert
            .execute(params![
                merchant,
                r.sub_merchant_id.unwrap_or(next),
                r.name,
                r.mobile_number,
                r.email,
                r.account_number,
                r.account_name,
                r.ifsc_code,
                r.bank_name,
                r.bank_branch,
                stamp(r.created_at.unwrap_or(now)),
            ])
            .map_err(|e| {
                on_duplicate(
                    e,
                    format!("sub_merchants[{i}].sub_merchant_id"),
                    "sub_merchant_id".into(),
                )
            })?;
    }
    Ok(())
}

fn customer_row(
    conn: &Connection,
    merchant: i64,
    customer_id: &str,
) -> Result<Option<i64>, DbError> {
    conn.prepare_cached(
        "select id from aggrepay_customers where merchant_id = ? and customer_id = ?",
    )?
    .query_row(params![merchant, customer_id], |r| r.get(0))
    .optional()
}

/// The customer row a transaction names (None when it names none), each looked up once per
/// section (`known`).
fn find_customer<'a>(
    conn: &Connection,
    known: &mut HashMap<(i64, &'a str), i64>,
    merchant: i64,
    id: &'a Option<String>,
    path: impl FnOnce() -> String,
) -> Result<Option<i64>, SectionError> {
    let Some(id) = id.as_deref() else {
        return Ok(None);
    };
    if let Some(row) = known.get(&(merchant, id)) {
        return Ok(Some(*row));
    }
    let row = customer_row(conn, merchant, id)?.ok_or_else(|| {
        problem(
            path(),
            format!("no customer `{id}` of this merchant is loaded"),
        )
    })?;
    known.insert((merchant, id), row);
    Ok(Some(row))
}

/// Replays transactions through the ledger, in order: balances follow, and a debit the
/// wallet cannot cover is refused.
pub fn load_transactions(
    conn: &Connection,
    records: &[TransactionFixture],
    now: DateTime<Utc>,
) -> Result<(), SectionError> {
    let mut merchants = HashMap::new();
    let mut customers = HashMap::new();
    for (i, r) in records.iter().enumerate() {
        let at = |field: &str| format!("transactions[{i}].{field}");
        let merchant = require_merchant(conn, &mut merchants, &r.api_key, || at("api_key"))?;
        let kind = Kind::parse(&r.kind).ok_or_else(|| {
            problem(
                at("type"),
                format!("`{}` is not M2C, C2M, C2C or REVERSAL", r.kind),
            )
        })?;
        let debit = find_customer(conn, &mut customers, merchant, &r.from_customer_id, || {
            at("from_customer_id")
        })?;
        let credit = find_customer(conn, &mut customers, merchant, &r.to_customer_id, || {
            at("to_customer_id")
        })?;
        let (needs_debit, needs_credit) = match kind {
            Kind::M2C | Kind::Reversal => (false, true),
            Kind::C2M => (true, false),
            Kind::C2C => (true, true),
        };
        if needs_debit != debit.is_some() || needs_credit != credit.is_some() {
            return Err(problem(
                format!("transactions[{i}]"),
                format!(
                    "a {} transaction names {}",
                    kind.as_str(),
                    match (needs_debit, needs_credit) {
                        (true, true) => "from_customer_id and to_customer_id",
                        (true, false) => "from_customer_id only",
                        _ => "to_customer_id only",
                    }
                ),
            ));
        }
        let reverses = match (kind, r.reverses) {
            (Kind::Reversal, Some(original)) => Some(
                conn.prepare_cached(
                    "select id from aggrepay_transactions where merchant_id = ? and transaction_id = ? \
                     and transaction_type = 'C2M'",
                )?
                .query_row(params![merchant, original], |r| r.get::<_, i64>(0))
                .optional()?
                .ok_or_else(|| {
                    problem(at("reverses"), format!("no C2M transaction {original} is loaded"))
                })?,
            ),
            (Kind::Reversal, None) => return Err(problem(at("reverses"), "a reversal names the debit it gives back")),
            (_, Some(_)) => return Err(problem(at("reverses"), "only a REVERSAL reverses")),
            (_, None) => None,
        };
        let movement = Movement {
            merchant_id: merchant,
            kind,
            amount: to_paise(r.amount),
            merchant_transaction_id: r.merchant_transaction_id.as_deref(),
            description: r.description.as_deref(),
            pg_transaction_id: r.pg_transaction_id.as_deref(),
            to_sub_merchant_id: r.to_sub_merchant_id,
            reverses,
            debit,
            credit,
            at: r.created_at.unwrap_or(now),
            transaction_id: r.transaction_id,
        };
        ledger::record(conn, &movement)
            .map_err(|e| ledger_problem(e, format!("transactions[{i}]")))?;
    }
    Ok(())
}
