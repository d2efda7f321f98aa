//! Jaze records as fixtures and the control plane write them: users, invoices, payments (with
//! the invoices they pay and, for gateway payments, the external payment log). One shape
//! serves both: `api_token` names the ISP account (`account` in control-plane bodies), and may
//! be left out when there is only one account.

use crate::money::Amount;
use base64::Engine;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::{Row, SqliteConnection};

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserRecord {
    #[serde(default, alias = "account", skip_serializing_if = "Option::is_none")]
    pub api_token: Option<String>,
    pub user_id: i64,
    pub customer_number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceRecord {
    #[serde(default, alias = "account", skip_serializing_if = "Option::is_none")]
    pub api_token: Option<String>,
    /// The next number of the account when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<i64>,
    pub user_id: i64,
    #[schema(value_type = String)]
    pub amount: Amount,
    /// `yyyy-mm-dd`; default: the sandbox clock's day in India.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    Cash,
    Cheque,
    Gateway,
}

impl Method {
    pub fn stored(self) -> &'static str {
        match self {
            Method::Cash => "cash",
            Method::Cheque => "cheque",
            Method::Gateway => "gateway",
        }
    }

    pub fn parse(text: &str) -> Option<Method> {
        match text {
            "cash" => Some(Method::Cash),
            "cheque" => Some(Method::Cheque),
            "gateway" => Some(Method::Gateway),
            _ => None,
        }
    }

    /// As the API names it: `Cash`, `Cheque`, `Payment gateway`.
    pub fn label(self) -> &'static str {
        match self {
            Method::Cash => "Cash",
            Method::Cheque => "Cheque",
            Method::Gateway => "Payment gateway",
        }
    }
}

/// The external payment log of a gateway payment.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GatewayRecord {
    /// Default `techprocess-pay`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    #[serde(
        default,
        rename = "merchantTxnId",
        skip_serializing_if = "Option::is_none"
    )]
    pub merchant_txn_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_txn_id: Option<String>,
    /// A JSON document (object, or already a string), kept as a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Value>,
    /// The currency, `INR` by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentRecord {
    #[serde(default, alias = "account", skip_serializing_if = "Option::is_none")]
    pub api_token: Option<String>,
    /// The next number of the account when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<i64>,
    pub user_id: i64,
    #[schema(value_type = String)]
    pub amount: Amount,
    pub method: Method,
    /// The bank of the cheque record; `Cash` for cash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank: Option<String>,
    /// Default: now on the sandbox clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub invoice_ids: Vec<i64>,
    /// For gateway payments; ids and details are generated when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<GatewayRecord>,
    /// The receipt URL's secret; generated when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_token: Option<String>,
}

/// Why a record was refused: the field at fault and the problem.
#[derive(Debug)]
pub enum RecordError {
    Invalid(&'static str, String),
    Database(sqlx::Error),
}

impl From<sqlx::Error> for RecordError {
    fn from(error: sqlx::Error) -> Self {
        RecordError::Database(error)
    }
}

fn invalid(field: &'static str, message: impl Into<String>) -> RecordError {
    RecordError::Invalid(field, message.into())
}

pub fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The account a record names, or the only one.
pub async fn account_id(
    conn: &mut SqliteConnection,
    api_token: Option<&str>,
) -> Result<i64, RecordError> {
    match api_token {
        Some(token) => sqlx::query_scalar("select id from jaze_accounts where api_token = ?")
            .bind(token)
            .fetch_optional(conn)
            .await?
            .ok_or_else(|| {
                invalid(
                    "api_token",
                    format!("no account with api_token `{token}` is loaded"),
                )
            }),
        None => {
            let ids: Vec<i64> =
                sqlx::query_scalar("select id from jaze_accounts order by id limit 2")
                    .fetch_all(conn)
                    .await?;
            match ids.as_slice() {
                [only] => Ok(*only),
                [] => Err(invalid("api_token", "no account is loaded")),
                _ => Err(invalid("api_token", "there are several accounts: name one")),
            }
        }
    }
}

async fn user_row(
    conn: &mut SqliteConnection,
    account: i64,
    user_id: i64,
) -> Result<i64, RecordError> {
    sqlx::query_scalar("select id from jaze_users where account_id = ? and user_id = ?")
        .bind(account)
        .bind(user_id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| invalid("user_id", format!("no user {user_id} in this account")))
}

fn duplicate(field: &'static str, what: String) -> impl FnOnce(sqlx::Error) -> RecordError {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            invalid(field, format!("duplicate {what}: it is already loaded"))
        }
        _ => RecordError::Database(e),
    }
}

pub async fn insert_user(
    conn: &mut SqliteConnection,
    user: &UserRecord,
) -> Result<(), RecordError> {
    let account = account_id(conn, user.api_token.as_deref()).await?;
    if user.user_id <= 0 {
        return Err(invalid("user_id", "must be a positive number"));
    }
    if user.customer_number.trim().is_empty() {
        return Err(invalid("customer_number", "must not be empty"));
    }
    sqlx::query(
        "insert into jaze_users (account_id, user_id, customer_number, name) values (?, ?, ?, ?)",
    )
    .bind(account)
    .bind(user.user_id)
    .bind(user.customer_number.trim())
    .bind(&user.name)
    .execute(conn)
    .await
    .map_err(duplicate("user_id", format!("user_id {}", user.user_id)))?;
    Ok(())
}

async fn next_id(
    conn: &mut SqliteConnection,
    table: &str,
    column: &str,
    account: i64,
) -> Result<i64, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "select coalesce(max({column}), 0) + 1 from {table} where account_id = ?"
    ));
    sqlx::query_scalar(sql).bind(account).fetch_one(conn).await
}

/// Answers the invoice id.
pub async fn insert_invoice(
    conn: &mut SqliteConnection,
    invoice: &InvoiceRecord,
    today: NaiveDate,
) -> Result<i64, RecordError> {
    let account = account_id(conn, invoice.api_token.as_deref()).await?;
    let user = user_row(conn, account, invoice.user_id).await?;
    let invoice_id = match invoice.invoice_id {
        Some(id) if id <= 0 => return Err(invalid("invoice_id", "must be a positive number")),
        Some(id) => id,
        None => next_id(conn, "jaze_invoices", "invoice_id", account).await?,
    };
    sqlx::query("insert into jaze_invoices (account_id, invoice_id, user_row, amount, invoice_date) values (?, ?, ?, ?, ?)")
        .bind(account)
        .bind(invoice_id)
        .bind(user)
        .bind(invoice.amount.to_fixed2())
        .bind(invoice.date.unwrap_or(today).to_string())
        .execute(conn)
        .await
        .map_err(duplicate("invoice_id", format!("invoice_id {invoice_id}")))?;
    Ok(invoice_id)
}

/// 32 URL-safe characters from 24 random bytes.
pub fn new_receipt_token() -> String {
    let bytes: [u8; 24] = rand::rng().random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Answers the payment id.
pub async fn insert_payment(
    conn: &mut SqliteConnection,
    payment: &PaymentRecord,
    now: DateTime<Utc>,
) -> Result<i64, RecordError> {
    let account = account_id(conn, payment.api_token.as_deref()).await?;
    let user = user_row(conn, account, payment.user_id).await?;
    if payment.amount.value().is_zero() {
        return Err(invalid("amount", "must be above zero"));
    }
    if payment.gateway.is_some() && payment.method != Method::Gateway {
        return Err(invalid(
            "gateway",
            "only a gateway payment has a gateway log",
        ));
    }
    let payment_id = match payment.payment_id {
        Some(id) if id <= 0 => return Err(invalid("payment_id", "must be a positive number")),
        Some(id) => id,
        None => next_id(conn, "jaze_payments", "payment_id", account).await?,
    };
    let token = match &payment.receipt_token {
        Some(token)
            if token.len() < 20
                || !token
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            return Err(invalid(
                "receipt_token",
                "needs at least 20 URL-safe characters",
            ));
        }
        Some(token) => token.clone(),
        None => new_receipt_token(),
    };
    let bank = match payment.method {
        Method::Cash => Some(payment.bank.clone().unwrap_or_else(|| "Cash".into())),
        Method::Cheque => Some(payment.bank.clone().unwrap_or_else(|| "Cheque".into())),
        Method::Gateway => payment.bank.clone(),
    };
    let row: i64 = sqlx::query_scalar(
        "insert into jaze_payments (account_id, payment_id, user_row, amount, method, bank, created_at, receipt_token) \
         values (?, ?, ?, ?, ?, ?, ?, ?) returning id",
    )
    .bind(account)
    .bind(payment_id)
    .bind(user)
    .bind(payment.amount.to_fixed2())
    .bind(payment.method.stored())
    .bind(&bank)
    .bind(stamp(payment.created_at.unwrap_or(now)))
    .bind(&token)
    .fetch_one(&mut *conn)
    .await
    .map_err(duplicate("payment_id", format!("payment_id {payment_id} or receipt_token")))?;
    for (position, invoice_id) in payment.invoice_ids.iter().enumerate() {
        let invoice: i64 = sqlx::query_scalar(
            "select id from jaze_invoices where account_id = ? and invoice_id = ?",
        )
        .bind(account)
        .bind(invoice_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| {
            invalid(
                "invoice_ids",
                format!("no invoice {invoice_id} in this account"),
            )
        })?;
        sqlx::query("insert into jaze_payment_invoices (payment_row, invoice_row, position) values (?, ?, ?)")
            .bind(row)
            .bind(invoice)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .execute(&mut *conn)
            .await
            .map_err(duplicate("invoice_ids", format!("invoice {invoice_id} in one payment")))?;
    }
    if payment.method == Method::Gateway {
        let log = payment.gateway.clone().unwrap_or_default();
        let (merchant_txn_id, gateway_txn_id) = {
            let mut rng = rand::rng();
            (
                log.merchant_txn_id
                    .unwrap_or_else(|| format!("{:024x}", rng.random::<u128>() >> 32)),
                log.gateway_txn_id.unwrap_or_else(|| {
                    rng.random_range(1_000_000_000u64..=9_999_999_999)
                        .to_string()
                }),
            )
        };
        let details = match log.details {
            Some(Value::String(text)) => text,
            Some(other) => other.to_string(),
            None => serde_json::json!({
                "txn_status": "0300", "txn_msg": "success", "txn_err_msg": "NA",
                "txn_amt": payment.amount.to_fixed2(),
            })
            .to_string(),
        };
        sqlx::query(
            "insert into jaze_gateway_logs (payment_row, merchant_txn_id, gateway_txn_id, details, currency, operator) \
             values (?, ?, ?, ?, ?, ?)",
        )
        .bind(row)
        .bind(merchant_txn_id)
        .bind(gateway_txn_id)
        .bind(details)
        .bind(log.number.unwrap_or_else(|| "INR".into()))
        .bind(log.operator.unwrap_or_else(|| "techprocess-pay".into()))
        .execute(&mut *conn)
        .await?;
    }
    Ok(payment_id)
}

/// Every record of every account, in id order, with what was generated written out.
pub async fn export(
    conn: &mut SqliteConnection,
) -> Result<(Vec<UserRecord>, Vec<InvoiceRecord>, Vec<PaymentRecord>), sqlx::Error> {
    let users = sqlx::query("select a.api_token, u.user_id, u.customer_number, u.name from jaze_users u join jaze_accounts a on a.id = u.account_id order by u.id")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| UserRecord {
            api_token: Some(r.get("api_token")),
            user_id: r.get("user_id"),
            customer_number: r.get("customer_number"),
            name: r.get("name"),
        })
        .collect();
    let amount =
        |text: String| Amount::parse(&text).unwrap_or_else(|_| Amount::parse("0").expect("zero"));
    let invoices = sqlx::query(
        "select a.api_token, i.invoice_id, u.user_id, i.amount, i.invoice_date from jaze_invoices i \
         join jaze_accounts a on a.id = i.account_id join jaze_users u on u.id = i.user_row order by i.id",
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| InvoiceRecord {
        api_token: Some(r.get("api_token")),
        invoice_id: Some(r.get("invoice_id")),
        user_id: r.get("user_id"),
        amount: amount(r.get("amount")),
        date: r.get::<String, _>("invoice_date").parse().ok(),
    })
    .collect();
    let rows = sqlx::query(
        "select p.id, a.api_token, p.payment_id, u.user_id, p.amount, p.method, p.bank, p.created_at, p.receipt_token, \
         g.operator, g.merchant_txn_id, g.gateway_txn_id, g.details, g.currency from jaze_payments p \
         join jaze_accounts a on a.id = p.account_id join jaze_users u on u.id = p.user_row \
         left join jaze_gateway_logs g on g.payment_row = p.id order by p.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    // Every payment's invoices in one query, not one query per payment.
    let mut invoices_of: std::collections::HashMap<i64, Vec<i64>> =
        std::collections::HashMap::new();
    for link in sqlx::query(
        "select pi.payment_row, i.invoice_id from jaze_payment_invoices pi \
         join jaze_invoices i on i.id = pi.invoice_row order by pi.payment_row, pi.position",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        invoices_of
            .entry(link.get("payment_row"))
            .or_default()
            .push(link.get("invoice_id"));
    }
    let mut payments = Vec::new();
    for r in rows {
        let invoice_ids = invoices_of
            .remove(&r.get::<i64, _>("id"))
            .unwrap_or_default();
        let method = Method::parse(r.get("method")).unwrap_or(Method::Cash);
        let gateway = r
            .get::<Option<String>, _>("operator")
            .map(|operator| GatewayRecord {
                operator: Some(operator),
                merchant_txn_id: r.get("merchant_txn_id"),
                gateway_txn_id: r.get("gateway_txn_id"),
                details: r.get::<Option<String>, _>("details").map(Value::String),
                number: r.get("currency"),
            });
        payments.push(PaymentRecord {
            api_token: Some(r.get("api_token")),
            payment_id: Some(r.get("payment_id")),
            user_id: r.get("user_id"),
            amount: amount(r.get("amount")),
            method,
            bank: r.get("bank"),
            created_at: DateTime::parse_from_rfc3339(r.get("created_at"))
                .ok()
                .map(|t| t.with_timezone(&Utc)),
            invoice_ids,
            gateway,
            receipt_token: Some(r.get("receipt_token")),
        });
    }
    Ok((users, invoices, payments))
}
