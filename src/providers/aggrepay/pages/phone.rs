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

#[cfg(test)]
mod tests {
    //! The phone page itself is the kernel's; these check AggrePay's section of it.
    use super::*;
    use crate::providers::Provider;
    use crate::providers::aggrepay::AggrePay;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().into()
    }

    #[tokio::test]
    async fn the_section_shows_each_otp_with_its_state_and_the_wallets_of_the_number() {
        let db = crate::catalogue::database("sqlite::memory:").unwrap();
        let ui = Ui {
            base: "/ui".into(),
            csrf: String::new(),
            bearer: false,
            now: at("2026-03-10T10:05:00Z"),
        };
        let (section, nothing, counts) = db
            .write(|conn| {
                conn.execute_batch(
                    "insert into aggrepay_merchants (id, api_key, salt, max_balance, monthly_credit, \
                     monthly_debit, daily_debit_count, daily_debit_amount) \
                     values (1, 'k', 's', '10000', '10000', '10000', 5, '1000');
                     insert into aggrepay_customers (merchant_id, customer_id, mobile_number, \
                     first_name, mpin, balance, created_at) \
                     values (1, '100000001', '+919123400001', 'Asha', '1234', 4150, '2026-01-01T00:00:00.000Z');
                     insert into aggrepay_otps (merchant_id, mobile_number, otp, purpose, created_at, \
                     expires_at, used, superseded) values
                     (1, '+919123400001', '111111', 'registration', '2026-03-10T09:00:00.000Z', '2026-03-10T09:10:00.000Z', 0, 1),
                     (1, '+919123400001', '222222', 'registration', '2026-03-10T09:01:00.000Z', '2026-03-10T09:11:00.000Z', 1, 0),
                     (1, '+919123400001', '333333', 'customer', '2026-03-10T09:00:00.000Z', '2026-03-10T09:10:00.000Z', 0, 0),
                     (1, '+919123400001', '444444', 'customer', '2026-03-10T10:00:00.000Z', '2026-03-10T10:10:00.000Z', 0, 0);",
                )?;
                let section = AggrePay.phone(conn, &ui, "9123400001")?.unwrap().into_string();
                let nothing = AggrePay.phone(conn, &ui, "9123400002")?;
                Ok::<_, DbError>((section, nothing, AggrePay.counts(conn)?))
            })
            .await
            .unwrap();
        for (code, state) in [
            ("111111", "superseded"),
            ("222222", "used"),
            ("333333", "expired"),
            ("444444", "valid"),
        ] {
            let cells =
                format!(r#"<td class="otp-code">{code}</td><td class="otp-state">{state}</td>"#);
            assert!(section.contains(&cells), "{code} {state}: {section}");
        }
        assert!(section.contains(r#"<table id="otps">"#));
        assert!(section.contains(r#"<table id="wallets">"#));
        assert!(
            section.contains(r#"<td class="balance">41.5</td>"#),
            "{section}"
        );
        assert!(section.contains(r#"href="/ui/aggrepay/customers/100000001""#));
        assert!(nothing.is_none());
        assert!(counts.contains(&("customers", 1)) && counts.contains(&("OTPs sent", 4)));
    }
}
