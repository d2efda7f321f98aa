//! S8's SQL: a payment's receipt token, and the payment holding a token as its receipt shows it.

use super::super::receipt::pdf::{Gateway, Invoice};
use crate::db::DbError;
use rusqlite::{Connection, OptionalExtension, params};

/// What S8 finds for a user id and payment id of an account.
pub enum TokenLookup {
    NoUser,
    NoPayment,
    Token(String),
}

pub fn receipt_token(
    conn: &Connection,
    account: i64,
    user_id: i64,
    payment_id: i64,
) -> Result<TokenLookup, DbError> {
    let user_row: Option<i64> = conn
        .prepare_cached("select id from jaze_users where account_id = ? and user_id = ?")?
        .query_row(params![account, user_id], |r| r.get(0))
        .optional()?;
    let Some(user_row) = user_row else {
        return Ok(TokenLookup::NoUser);
    };
    let token: Option<String> = conn
        .prepare_cached(
            "select receipt_token from jaze_payments \
             where account_id = ? and user_row = ? and payment_id = ?",
        )?
        .query_row(params![account, user_row, payment_id], |r| r.get(0))
        .optional()?;
    Ok(token.map_or(TokenLookup::NoPayment, TokenLookup::Token))
}

/// The payment holding a receipt token, as stored.
pub struct StoredReceipt {
    pub payment_id: i64,
    pub amount: String,
    pub method: String,
    pub bank: Option<String>,
    pub created_at: String,
    pub user_id: i64,
    pub customer_number: String,
    pub customer_name: Option<String>,
    pub account_name: Option<String>,
    pub api_token: String,
    pub gateway: Option<Gateway>,
    pub currency: Option<String>,
    pub invoices: Vec<Invoice>,
}

/// The receipt of the payment holding this token, read in one snapshot.
pub fn receipt(conn: &Connection, token: &str) -> Result<Option<StoredReceipt>, DbError> {
    let row = conn
        .prepare_cached(
            "select p.id, p.payment_id, p.amount, p.method, p.bank, p.created_at, \
             u.user_id, u.customer_number, u.name as customer_name, a.name as account_name, a.api_token, \
             g.operator, g.gateway_txn_id, g.merchant_txn_id, g.currency \
             from jaze_payments p join jaze_users u on u.id = p.user_row \
             join jaze_accounts a on a.id = p.account_id \
             left join jaze_gateway_logs g on g.payment_row = p.id \
             where p.receipt_token = ?",
        )?
        .query_row([token], |r| {
            Ok((
                r.get::<_, i64>("id")?,
                StoredReceipt {
                    payment_id: r.get("payment_id")?,
                    amount: r.get("amount")?,
                    method: r.get("method")?,
                    bank: r.get("bank")?,
                    created_at: r.get("created_at")?,
                    user_id: r.get("user_id")?,
                    customer_number: r.get("customer_number")?,
                    customer_name: r.get("customer_name")?,
                    account_name: r.get("account_name")?,
                    api_token: r.get("api_token")?,
                    gateway: match r.get::<_, Option<String>>("operator")? {
                        Some(operator) => Some(Gateway {
                            operator,
                            gateway_txn_id: r.get("gateway_txn_id")?,
                            merchant_txn_id: r.get("merchant_txn_id")?,
                        }),
                        None => None,
                    },
                    currency: r.get("currency")?,
                    invoices: Vec::new(),
                },
            ))
        })
        .optional()?;
    let Some((row, mut receipt)) = row else {
        return Ok(None);
    };
    receipt.invoices = conn
        .prepare_cached(
            "select i.invoice_id, i.amount, i.invoice_date from jaze_payment_invoices pi \
             join jaze_invoices i on i.id = pi.invoice_row where pi.payment_row = ? order by pi.position",
        )?
        .query_map([row], |r| {
            Ok(Invoice {
                invoice_id: r.get("invoice_id")?,
                date: r.get("invoice_date")?,
                amount: r.get("amount")?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(Some(receipt))
}
