//! The `aggrepay` records as a fixture document, in id order.

use super::types::{
    CustomerFixture, LimitOverrides, PgTransactionFixture, SubMerchantFixture, TransactionFixture,
};
use crate::db::DbError;
use crate::money::Amount;
use crate::providers::aggrepay::amount::to_decimal;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row};
use std::collections::HashMap;

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

/// The rows of a query, each made by `make`.
fn all<T>(
    conn: &Connection,
    sql: &str,
    make: impl FnMut(&Row) -> rusqlite::Result<T>,
) -> Result<Vec<T>, DbError> {
    conn.prepare_cached(sql)?.query_map([], make)?.collect()
}

pub fn export(conn: &Connection) -> Result<Exported, DbError> {
    let keys: HashMap<i64, String> =
        all(conn, "select id, api_key from aggrepay_merchants", |r| {
            Ok((r.get("id")?, r.get("api_key")?))
        })?
        .into_iter()
        .collect();
    let key = |id: i64| keys.get(&id).cloned().unwrap_or_default();
    let customers = all(conn, "select * from aggrepay_customers order by id", |r| {
        Ok(CustomerFixture {
            api_key: key(r.get("merchant_id")?),
            customer_id: Some(r.get("customer_id")?),
            mobile_number: r.get("mobile_number")?,
            email: r.get("email")?,
            first_name: r.get("first_name")?,
            last_name: r.get("last_name")?,
            date_of_birth: r
                .get::<_, Option<String>>("date_of_birth")?
                .and_then(|d| d.parse().ok()),
            address_line_1: r.get("address_line_1")?,
            address_line_2: r.get("address_line_2")?,
            city: r.get("city")?,
            pincode: r.get("pincode")?,
            description: r.get("description")?,
            mpin: r.get("mpin")?,
            active: r.get::<_, i64>("active")? != 0,
            balance: None,
            limits: LimitOverrides {
                max_balance: optional_amount(r.get("max_balance")?),
                monthly_credit: optional_amount(r.get("monthly_credit")?),
                monthly_debit: optional_amount(r.get("monthly_debit")?),
                daily_debit_count: r
                    .get::<_, Option<i64>>("daily_debit_count")?
                    .and_then(|n| u32::try_from(n).ok()),
                daily_debit_amount: optional_amount(r.get("daily_debit_amount")?),
            },
            created_at: time(r.get("created_at")?),
        })
    })?;
    let pg_transactions = all(
        conn,
        "select * from aggrepay_pg_transactions order by id",
        |r| {
            Ok(PgTransactionFixture {
                api_key: key(r.get("merchant_id")?),
                pg_transaction_id: r.get("pg_transaction_id")?,
                amount: optional_amount(Some(r.get("amount")?))
                    .unwrap_or_else(|| Amount::parse("0").expect("zero")),
                used: r.get::<_, i64>("used")? != 0,
                created_at: time(r.get("created_at")?),
            })
        },
    )?;
    let sub_merchants = all(
        conn,
        "select * from aggrepay_sub_merchants order by id",
        |r| {
            Ok(SubMerchantFixture {
                api_key: key(r.get("merchant_id")?),
                sub_merchant_id: Some(r.get("sub_merchant_id")?),
                name: r.get("name")?,
                mobile_number: r.get("mobile_number")?,
                email: r.get("email")?,
                account_number: r.get("account_number")?,
                account_name: r.get("account_name")?,
                ifsc_code: r.get("ifsc_code")?,
                bank_name: r.get("bank_name")?,
                bank_branch: r.get("bank_branch")?,
                created_at: time(r.get("created_at")?),
            })
        },
    )?;
    let transactions = all(
        conn,
        "select t.*, o.transaction_id as reversed_id, \
           (select c.customer_id from aggrepay_entries e join aggrepay_customers c on c.id = e.customer_row \
            where e.transaction_row = t.id and e.payment_type = 'DEBIT') as from_customer, \
           (select c.customer_id from aggrepay_entries e join aggrepay_customers c on c.id = e.customer_row \
            where e.transaction_row = t.id and e.payment_type = 'CREDIT') as to_customer \
         from aggrepay_transactions t left join aggrepay_transactions o on o.id = t.reverses order by t.id",
        |r| {
            Ok(TransactionFixture {
                api_key: key(r.get("merchant_id")?),
                transaction_id: Some(r.get("transaction_id")?),
                merchant_transaction_id: r.get("merchant_transaction_id")?,
                kind: r.get("transaction_type")?,
                amount: optional_amount(Some(r.get("amount")?))
                    .unwrap_or_else(|| Amount::parse("0").expect("zero")),
                from_customer_id: r.get("from_customer")?,
                to_customer_id: r.get("to_customer")?,
                description: r.get("description")?,
                pg_transaction_id: r.get("pg_transaction_id")?,
                to_sub_merchant_id: r.get("to_sub_merchant_id")?,
                reverses: r.get("reversed_id")?,
                created_at: time(r.get("created_at")?),
            })
        },
    )?;
    Ok(Exported {
        customers,
        pg_transactions,
        sub_merchants,
        transactions,
    })
}
