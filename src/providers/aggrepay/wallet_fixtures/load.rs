//! Loading the `aggrepay` records of a fixture document, inside the caller's transaction.

use super::types::{CustomerFixture, PgTransactionFixture, SubMerchantFixture, TransactionFixture};
use crate::fixtures::{FixtureProblem, SectionError, on_duplicate};
use crate::money::Amount;
use crate::providers::aggrepay::amount::to_paise;
use crate::providers::aggrepay::ledger::{self, Kind, LedgerError, Movement, stamp};
use crate::providers::aggrepay::rules::normalize_mobile;
use chrono::{DateTime, Utc};
use rand::Rng;
use sqlx::SqliteConnection;

async fn merchant_id(
    conn: &mut SqliteConnection,
    api_key: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("select id from aggrepay_merchants where api_key = ?")
        .bind(api_key)
        .fetch_optional(conn)
        .await
}

fn problem(path: String, message: impl Into<String>) -> SectionError {
    FixtureProblem::new(path, message).into()
}

async fn require_merchant(
    conn: &mut SqliteConnection,
    api_key: &str,
    path: String,
) -> Result<i64, SectionError> {
    merchant_id(conn, api_key).await?.ok_or_else(|| {
        problem(
            path,
            format!("no merchant with api_key `{api_key}` is loaded"),
        )
    })
}

pub async fn load_customers(
    conn: &mut SqliteConnection,
    customers: &[CustomerFixture],
    now: DateTime<Utc>,
) -> Result<(), SectionError> {
    for (i, c) in customers.iter().enumerate() {
        let at = |field: &str| format!("customers[{i}].{field}");
        let merchant = require_merchant(conn, &c.api_key, at("api_key")).await?;
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
        let row: i64 = sqlx::query_scalar(
            "insert into aggrepay_customers (merchant_id, customer_id, mobile_number, email, first_name, \
             last_name, date_of_birth, address_line_1, address_line_2, city, pincode, description, mpin, \
             active, created_at, max_balance, monthly_credit, monthly_debit, daily_debit_count, \
             daily_debit_amount) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id",
        )
        .bind(merchant)
        .bind(&customer_id)
        .bind(&mobile)
        .bind(&c.email)
        .bind(&c.first_name)
        .bind(&c.last_name)
        .bind(c.date_of_birth.map(|d| d.to_string()))
        .bind(&c.address_line_1)
        .bind(&c.address_line_2)
        .bind(&c.city)
        .bind(&c.pincode)
        .bind(&c.description)
        .bind(&c.mpin)
        .bind(c.active)
        .bind(stamp(created_at))
        .bind(paise(c.limits.max_balance))
        .bind(paise(c.limits.monthly_credit))
        .bind(paise(c.limits.monthly_debit))
        .bind(c.limits.daily_debit_count)
        .bind(paise(c.limits.daily_debit_amount))
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| on_duplicate(e, format!("customers[{i}]"), format!("customer_id `{customer_id}` or mobile_number `{mobile}`")))?;
        if let Some(balance) = paise(c.balance).filter(|p| *p > 0) {
            let opening = Movement {
                merchant_id: merchant,
                kind: Kind::M2C,
                amount: balance,
                merchant_transaction_id: None,
                description: Some("Opening balance"),
                pg_transaction_id: None,
                to_sub_merchant_id: None,
                reverses: None,
                debit: None,
                credit: Some(row),
                at: created_at,
                transaction_id: None,
            };
            ledger::record(conn, &opening)
                .await
                .map_err(|e| ledger_problem(e, at("balance")))?;
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

pub async fn load_pg_transactions(
    conn: &mut SqliteConnection,
    records: &[PgTransactionFixture],
    now: DateTime<Utc>,
) -> Result<(), SectionError> {
    for (i, r) in records.iter().enumerate() {
        let merchant =
            require_merchant(conn, &r.api_key, format!("pg_transactions[{i}].api_key")).await?;
        if r.amount.value().is_zero() || r.pg_transaction_id.trim().is_empty() {
            return Err(problem(
                format!("pg_transactions[{i}]"),
                "needs a pg_transaction_id and an amount above zero",
            ));
        }
        sqlx::query("insert into aggrepay_pg_transactions (merchant_id, pg_transaction_id, amount, used, created_at) values (?, ?, ?, ?, ?)")
            .bind(merchant)
            .bind(r.pg_transaction_id.trim())
            .bind(to_paise(r.amount))
            .bind(r.used)
            .bind(stamp(r.created_at.unwrap_or(now)))
            .execute(&mut *conn)
            .await
            .map_err(|e| on_duplicate(e, format!("pg_transactions[{i}].pg_transaction_id"), format!("pg_transaction_id `{}`", r.pg_transaction_id)))?;
    }
    Ok(())
}

pub async fn load_sub_merchants(
    conn: &mut SqliteConnection,
    records: &[SubMerchantFixture],
    now: DateTime<Utc>,
) -> Result<(), SectionError> {
    for (i, r) in records.iter().enumerate() {
        let merchant =
            require_merchant(conn, &r.api_key, format!("sub_merchants[{i}].api_key")).await?;
        let next: i64 = sqlx::query_scalar("select coalesce(max(sub_merchant_id), 0) + 1 from aggrepay_sub_merchants where merchant_id = ?")
            .bind(merchant)
            .fetch_one(&mut *conn)
            .await?;
        sqlx::query(
            "insert into aggrepay_sub_merchants (merchant_id, sub_merchant_id, name, mobile_number, email, \
             account_number, account_name, ifsc_code, bank_name, bank_branch, created_at) \
             values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(merchant)
        .bind(r.sub_merchant_id.unwrap_or(next))
        .bind(&r.name)
        .bind(&r.mobile_number)
        .bind(&r.email)
        .bind(&r.account_number)
        .bind(&r.account_name)
        .bind(&r.ifsc_code)
        .bind(&r.bank_name)
        .bind(&r.bank_branch)
        .bind(stamp(r.created_at.unwrap_or(now)))
        .execute(&mut *conn)
        .await
        .map_err(|e| on_duplicate(e, format!("sub_merchants[{i}].sub_merchant_id"), "sub_merchant_id".into()))?;
    }
    Ok(())
}

async fn customer_row(
    conn: &mut SqliteConnection,
    merchant: i64,
    customer_id: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "select id from aggrepay_customers where merchant_id = ? and customer_id = ?",
    )
    .bind(merchant)
    .bind(customer_id)
    .fetch_optional(conn)
    .await
}

/// Replays transactions through the ledger, in order: balances follow, and a debit the
/// wallet cannot cover is refused.
pub async fn load_transactions(
    conn: &mut SqliteConnection,
    records: &[TransactionFixture],
    now: DateTime<Utc>,
) -> Result<(), SectionError> {
    for (i, r) in records.iter().enumerate() {
        let at = |field: &str| format!("transactions[{i}].{field}");
        let merchant = require_merchant(conn, &r.api_key, at("api_key")).await?;
        let kind = Kind::parse(&r.kind).ok_or_else(|| {
            problem(
                at("type"),
                format!("`{}` is not M2C, C2M, C2C or REVERSAL", r.kind),
            )
        })?;
        let mut find =
            async |field: &str, id: &Option<String>| -> Result<Option<i64>, SectionError> {
                match id {
                    None => Ok(None),
                    Some(id) => customer_row(conn, merchant, id)
                        .await?
                        .map(Some)
                        .ok_or_else(|| {
                            problem(
                                at(field),
                                format!("no customer `{id}` of this merchant is loaded"),
                            )
                        }),
                }
            };
        let debit = find("from_customer_id", &r.from_customer_id).await?;
        let credit = find("to_customer_id", &r.to_customer_id).await?;
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
                sqlx::query_scalar::<_, i64>("select id from aggrepay_transactions where merchant_id = ? and transaction_id = ? and transaction_type = 'C2M'")
                    .bind(merchant)
                    .bind(original)
                    .fetch_optional(&mut *conn)
                    .await?
                    .ok_or_else(|| problem(at("reverses"), format!("no C2M transaction {original} is loaded")))?,
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
            .await
            .map_err(|e| ledger_problem(e, format!("transactions[{i}]")))?;
    }
    Ok(())
}
