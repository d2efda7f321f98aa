//! The `aggrepay` records in fixtures: customers (with limit overrides and an opening
//! balance), payment-gateway records, sub merchants, and the ledger's transactions.
//!
//! A customer's `balance` is loaded as one opening credit (type `M2C`, description
//! `Opening balance`), so the balance is always the sum of the ledger; an export therefore
//! lists that credit among the transactions and no `balance` on the customer.

use super::amount::to_decimal;
use super::ledger::{self, Kind, LedgerError, Movement, stamp};
use super::rules::normalize_mobile;
use crate::fixtures::{FixtureProblem, SectionError, on_duplicate};
use crate::money::Amount;
use chrono::{DateTime, NaiveDate, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};
use sqlx::{Row, SqliteConnection};
use std::collections::HashMap;

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitOverrides {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_balance: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_credit: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_debit: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_debit_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_debit_amount: Option<Amount>,
}

impl LimitOverrides {
    fn is_empty(&self) -> bool {
        self.max_balance.is_none()
            && self.monthly_credit.is_none()
            && self.monthly_debit.is_none()
            && self.daily_debit_count.is_none()
            && self.daily_debit_amount.is_none()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerFixture {
    /// The merchant (its `api_key`).
    pub api_key: String,
    /// 9 digits; generated when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    pub mobile_number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_line_1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_line_2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pincode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// 4 digits.
    #[serde(default = "default_mpin")]
    pub mpin: String,
    #[serde(default = "active")]
    pub active: bool,
    /// An opening balance, loaded as one credit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance: Option<Amount>,
    #[serde(default, skip_serializing_if = "LimitOverrides::is_empty")]
    pub limits: LimitOverrides,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
}

fn default_mpin() -> String {
    "1234".into()
}

fn active() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PgTransactionFixture {
    pub api_key: String,
    pub pg_transaction_id: String,
    pub amount: Amount,
    #[serde(default)]
    pub used: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubMerchantFixture {
    pub api_key: String,
    /// 1, 2, 3... per merchant; the next free number when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_merchant_id: Option<i64>,
    pub name: String,
    #[serde(default)]
    pub mobile_number: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub account_number: String,
    #[serde(default)]
    pub account_name: String,
    #[serde(default)]
    pub ifsc_code: String,
    #[serde(default)]
    pub bank_name: String,
    #[serde(default)]
    pub bank_branch: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransactionFixture {
    pub api_key: String,
    /// 9 digits; drawn at random when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_transaction_id: Option<String>,
    /// `M2C` (credit), `C2M` (debit), `C2C` (transfer), `REVERSAL`.
    #[serde(rename = "type")]
    pub kind: String,
    pub amount: Amount,
    /// The paying customer (`C2M`, `C2C`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_customer_id: Option<String>,
    /// The receiving customer (`M2C`, `C2C`, `REVERSAL`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_customer_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pg_transaction_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_sub_merchant_id: Option<i64>,
    /// For `REVERSAL`: the transaction_id of the debit it gives back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverses: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
}

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

pub fn to_paise(amount: Amount) -> i64 {
    (amount.value() * rust_decimal::Decimal::from(100))
        .trunc()
        .to_string()
        .parse()
        .unwrap_or(0)
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

fn optional_amount(paise: Option<i64>) -> Option<Amount> {
    paise.and_then(|p| Amount::new(to_decimal(p)))
}

fn time(text: String) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(&text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

pub struct Exported {
    pub customers: Vec<CustomerFixture>,
    pub pg_transactions: Vec<PgTransactionFixture>,
    pub sub_merchants: Vec<SubMerchantFixture>,
    pub transactions: Vec<TransactionFixture>,
}

pub async fn export(conn: &mut SqliteConnection) -> Result<Exported, sqlx::Error> {
    let keys: HashMap<i64, String> = sqlx::query("select id, api_key from aggrepay_merchants")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| (r.get("id"), r.get("api_key")))
        .collect();
    let key = |id: i64| keys.get(&id).cloned().unwrap_or_default();
    let customers = sqlx::query("select * from aggrepay_customers order by id")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| CustomerFixture {
            api_key: key(r.get("merchant_id")),
            customer_id: Some(r.get("customer_id")),
            mobile_number: r.get("mobile_number"),
            email: r.get("email"),
            first_name: r.get("first_name"),
            last_name: r.get("last_name"),
            date_of_birth: r
                .get::<Option<String>, _>("date_of_birth")
                .and_then(|d| d.parse().ok()),
            address_line_1: r.get("address_line_1"),
            address_line_2: r.get("address_line_2"),
            city: r.get("city"),
            pincode: r.get("pincode"),
            description: r.get("description"),
            mpin: r.get("mpin"),
            active: r.get::<i64, _>("active") != 0,
            balance: None,
            limits: LimitOverrides {
                max_balance: optional_amount(r.get("max_balance")),
                monthly_credit: optional_amount(r.get("monthly_credit")),
                monthly_debit: optional_amount(r.get("monthly_debit")),
                daily_debit_count: r
                    .get::<Option<i64>, _>("daily_debit_count")
                    .and_then(|n| u32::try_from(n).ok()),
                daily_debit_amount: optional_amount(r.get("daily_debit_amount")),
            },
            created_at: time(r.get("created_at")),
        })
        .collect();
    let pg_transactions = sqlx::query("select * from aggrepay_pg_transactions order by id")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| PgTransactionFixture {
            api_key: key(r.get("merchant_id")),
            pg_transaction_id: r.get("pg_transaction_id"),
            amount: optional_amount(Some(r.get("amount")))
                .unwrap_or_else(|| Amount::parse("0").expect("zero")),
            used: r.get::<i64, _>("used") != 0,
            created_at: time(r.get("created_at")),
        })
        .collect();
    let sub_merchants = sqlx::query("select * from aggrepay_sub_merchants order by id")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| SubMerchantFixture {
            api_key: key(r.get("merchant_id")),
            sub_merchant_id: Some(r.get("sub_merchant_id")),
            name: r.get("name"),
            mobile_number: r.get("mobile_number"),
            email: r.get("email"),
            account_number: r.get("account_number"),
            account_name: r.get("account_name"),
            ifsc_code: r.get("ifsc_code"),
            bank_name: r.get("bank_name"),
            bank_branch: r.get("bank_branch"),
            created_at: time(r.get("created_at")),
        })
        .collect();
    let transactions = sqlx::query(
        "select t.*, o.transaction_id as reversed_id, \
           (select c.customer_id from aggrepay_entries e join aggrepay_customers c on c.id = e.customer_row \
            where e.transaction_row = t.id and e.payment_type = 'DEBIT') as from_customer, \
           (select c.customer_id from aggrepay_entries e join aggrepay_customers c on c.id = e.customer_row \
            where e.transaction_row = t.id and e.payment_type = 'CREDIT') as to_customer \
         from aggrepay_transactions t left join aggrepay_transactions o on o.id = t.reverses order by t.id",
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| TransactionFixture {
        api_key: key(r.get("merchant_id")),
        transaction_id: Some(r.get("transaction_id")),
        merchant_transaction_id: r.get("merchant_transaction_id"),
        kind: r.get("transaction_type"),
        amount: optional_amount(Some(r.get("amount"))).unwrap_or_else(|| Amount::parse("0").expect("zero")),
        from_customer_id: r.get("from_customer"),
        to_customer_id: r.get("to_customer"),
        description: r.get("description"),
        pg_transaction_id: r.get("pg_transaction_id"),
        to_sub_merchant_id: r.get("to_sub_merchant_id"),
        reverses: r.get("reversed_id"),
        created_at: time(r.get("created_at")),
    })
    .collect();
    Ok(Exported {
        customers,
        pg_transactions,
        sub_merchants,
        transactions,
    })
}
