//! AggrePay's section of the phone page: the OTPs sent to the number (newest first, with
//! their state) and the number's wallets with their balances.

use super::otps::otp_table;
use crate::dashboard::kit::Ui;
use crate::db::DbError;
use crate::providers::aggrepay::amount::shown;
use crate::providers::aggrepay::store::pages;
use chrono::{DateTime, Utc};
use maud::{Markup, html};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use rusqlite::Connection;

/// OTPs the section shows (the newest).
const OTPS: i64 = 50;

/// The section for `mobile` (10 digits); `None` when AggrePay sent it nothing and it has no
/// wallet.
pub fn section(
    conn: &Connection,
    ui: &Ui,
    mobile: &str,
    now: DateTime<Utc>,
) -> Result<Option<Markup>, DbError> {
    let stored = format!("+91{mobile}");
    let otps = pages::otps(conn, Some(&stored), OTPS, 0)?;
    let merchants = pages::merchants(conn)?;
    let wallets = pages::wallets(conn, &merchants, &stored)?;
    if otps.is_empty() && wallets.is_empty() {
        return Ok(None);
    }
    Ok(Some(html! {
        h3 { "AggrePay OTPs" }
        @if otps.is_empty() { p { "No OTP sent to this number." } } @else { (otp_table(&otps, now)) }
        h3 { "AggrePay wallets" }
        @if wallets.is_empty() { p { "No wallet on this number." } } @else {
            table #wallets {
                tr { th { "customer_id" } th { "Merchant" } th { "Name" } th { "Balance" } th { "Active" } }
                @for row in &wallets {
                    @let c = &row.customer;
                    tr id={ "wallet-" (c.customer_id) } {
                        td { a href=(ui.href(&format!("/aggrepay/customers/{}", utf8_percent_encode(&c.customer_id, NON_ALPHANUMERIC)))) { (c.customer_id) } }
                        td { (row.api_key) }
                        td { (c.first_name.as_deref().unwrap_or("")) " " (c.last_name.as_deref().unwrap_or("")) }
                        td.balance { (shown(c.balance)) }
                        td { @if c.active { "yes" } @else { "no" } }
                    }
                }
            }
        }
    }))
}
