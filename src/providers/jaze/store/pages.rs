//! The SQL of Jaze's dashboard pages: the overview's counts, the accounts the forms offer,
//! and one page each of users, invoices and payments (newest first, with their totals).

use crate::dashboard::kit::count;
use crate::db::DbError;
use rusqlite::{Connection, params};

pub struct UserRow {
    pub api_token: String,
    pub user_id: i64,
    pub customer_number: String,
    pub name: Option<String>,
    pub invoices: i64,
    pub payments: i64,
}

pub struct InvoiceRow {
    pub api_token: String,
    pub invoice_id: i64,
    pub user_id: i64,
    pub amount: String,
    pub date: String,
}

pub struct PaymentRow {
    pub api_token: String,
    pub payment_id: i64,
    pub user_id: i64,
    pub amount: String,
    pub method: String,
    pub bank: Option<String>,
    pub created_at: String,
    pub receipt_token: String,
    /// The invoices it pays, comma-separated in their order.
    pub invoice_ids: Option<String>,
}

/// The overview's counts.
pub fn counts(conn: &Connection) -> Result<Vec<(&'static str, i64)>, DbError> {
    Ok(vec![
        (
            "accounts",
            count(conn, "select count(*) from jaze_accounts")?,
        ),
        ("users", count(conn, "select count(*) from jaze_users")?),
        (
            "invoices",
            count(conn, "select count(*) from jaze_invoices")?,
        ),
        (
            "payments",
            count(conn, "select count(*) from jaze_payments")?,
        ),
    ])
}

/// Every account's (api_token, name), in creation order.
pub fn accounts(conn: &Connection) -> Result<Vec<(String, Option<String>)>, DbError> {
    conn.prepare_cached("select api_token, name from jaze_accounts order by id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

pub fn users_page(
    conn: &Connection,
    offset: i64,
    limit: i64,
) -> Result<(i64, Vec<UserRow>), DbError> {
    let total = count(conn, "select count(*) from jaze_users")?;
    let rows = conn
        .prepare_cached(
            "select a.api_token, u.user_id, u.customer_number, u.name, \
             (select count(*) from jaze_invoices i where i.user_row = u.id) as invoices, \
             (select count(*) from jaze_payments p where p.user_row = u.id) as payments \
             from jaze_users u join jaze_accounts a on a.id = u.account_id \
             order by u.id desc limit ? offset ?",
        )?
        .query_map([limit, offset], |r| {
            Ok(UserRow {
                api_token: r.get("api_token")?,
                user_id: r.get("user_id")?,
                customer_number: r.get("customer_number")?,
                name: r.get("name")?,
                invoices: r.get("invoices")?,
                payments: r.get("payments")?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok((total, rows))
}

/// Invoices (of the users with this user_id, when given).
pub fn invoices_page(
    conn: &Connection,
    user: Option<i64>,
    offset: i64,
    limit: i64,
) -> Result<(i64, Vec<InvoiceRow>), DbError> {
    const FROM: &str = "from jaze_invoices i join jaze_accounts a on a.id = i.account_id \
         join jaze_users u on u.id = i.user_row where ?1 is null or u.user_id = ?1";
    let total = conn
        .prepare_cached(&format!("select count(*) {FROM}"))?
        .query_row([user], |r| r.get(0))?;
    let rows = conn
        .prepare_cached(&format!(
            "select a.api_token, i.invoice_id, u.user_id, i.amount, i.invoice_date {FROM} \
             order by i.id desc limit ?2 offset ?3"
        ))?
        .query_map(params![user, limit, offset], |r| {
            Ok(InvoiceRow {
                api_token: r.get("api_token")?,
                invoice_id: r.get("invoice_id")?,
                user_id: r.get("user_id")?,
                amount: r.get("amount")?,
                date: r.get("invoice_date")?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok((total, rows))
}

/// Payments (of the users with this user_id, by this method, when given).
pub fn payments_page(
    conn: &Connection,
    user: Option<i64>,
    method: Option<&str>,
    offset: i64,
    limit: i64,
) -> Result<(i64, Vec<PaymentRow>), DbError> {
    const FROM: &str = "from jaze_payments p join jaze_accounts a on a.id = p.account_id \
         join jaze_users u on u.id = p.user_row \
         where (?1 is null or u.user_id = ?1) and (?2 is null or p.method = ?2)";
    let total = conn
        .prepare_cached(&format!("select count(*) {FROM}"))?
        .query_row(params![user, method], |r| r.get(0))?;
    let rows = conn
        .prepare_cached(&format!(
            "select a.api_token, p.payment_id, u.user_id, p.amount, p.method, p.bank, \
             p.created_at, p.receipt_token, \
             (select group_concat(invoice_id, ', ') from (select i.invoice_id from \
              jaze_payment_invoices pi join jaze_invoices i on i.id = pi.invoice_row \
              where pi.payment_row = p.id order by pi.position)) as invoice_ids \
             {FROM} order by p.id desc limit ?3 offset ?4"
        ))?
        .query_map(params![user, method, limit, offset], |r| {
            Ok(PaymentRow {
                api_token: r.get("api_token")?,
                payment_id: r.get("payment_id")?,
                user_id: r.get("user_id")?,
                amount: r.get("amount")?,
                method: r.get("method")?,
                bank: r.get("bank")?,
                created_at: r.get("created_at")?,
                receipt_token: r.get("receipt_token")?,
                invoice_ids: r.get("invoice_ids")?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok((total, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_counts_count_the_default_fixtures_records() {
        let db = crate::catalogue::database("sqlite::memory:").unwrap();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/default.json");
        let document: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        db.write(|tx| {
            let now = chrono::Utc::now();
            crate::providers::jaze::fixtures::load(tx, &document["jaze"], now)
                .expect("the default fixtures load");
            Ok::<_, DbError>(())
        })
        .await
        .unwrap();
        let counts = db.read(counts).await.unwrap();
        assert_eq!(
            counts,
            vec![
                ("accounts", 1),
                ("users", 2),
                ("invoices", 2),
                ("payments", 9)
            ]
        );
    }
}
