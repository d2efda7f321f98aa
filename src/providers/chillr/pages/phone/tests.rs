//! The phone section and the overview's counts, on a database filled through the store
//! (the phone page and the overview that show them are the kernel's).

use super::section;
use crate::dashboard::kit::Ui;
use crate::db::{Db, DbError};
use crate::providers::chillr::lifecycle::PaymentStatus;
use crate::providers::chillr::store::{self, CustomerRecord, NewBatch, Request};
use chrono::{DateTime, NaiveDate, Utc};

const KEY: &str = "5695d71a6368690df2030000";
const MOBILE: &str = "9447741462";

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn ui_at(now: &str) -> Ui {
    Ui {
        base: "/__sandbox/ui".into(),
        csrf: "token".into(),
        bearer: false,
        now: at(now),
    }
}

fn customer(msisdn: &str, transaction: Option<(&str, PaymentStatus)>) -> CustomerRecord {
    CustomerRecord {
        msisdn: msisdn.into(),
        amount: "200".into(),
        request: transaction.map(|(id, status)| Request {
            transaction_id: id.into(),
            status,
            acted_at: (status != PaymentStatus::Pending).then(|| at("2026-03-10T05:00:00Z")),
        }),
    }
}

/// Two batches to MOBILE (one pending, one paid), and a number with no request.
async fn filled() -> Db {
    let db = crate::catalogue::database("sqlite::memory:").unwrap();
    db.write(|tx| {
        store::insert_merchant(tx, KEY, "secret")?;
        store::register_users(tx, &[MOBILE.to_string()])?;
        let merchant = store::merchant_by_api_key(tx, KEY)?.unwrap().id;
        for (batch_id, status, id) in [
            (
                "aaaaaaaaaaaaaaaaaaaaaaaa",
                PaymentStatus::Pending,
                "100000000001",
            ),
            (
                "bbbbbbbbbbbbbbbbbbbbbbbb",
                PaymentStatus::Paid,
                "100000000002",
            ),
        ] {
            store::insert_batch(
                tx,
                &NewBatch {
                    batch_id: batch_id.into(),
                    merchant_id: merchant,
                    name: "<b>Bill</b>".into(),
                    expiry_date: NaiveDate::from_ymd_opt(2026, 3, 17).unwrap(),
                    created_at: at("2026-03-10T04:30:00Z"),
                    customers: vec![
                        customer(MOBILE, Some((id, status))),
                        customer("9633789451", None),
                    ],
                },
            )?;
        }
        Ok::<_, DbError>(())
    })
    .await
    .unwrap();
    db
}

#[tokio::test]
async fn the_section_lists_the_requests_sent_to_the_number_with_pay_and_decline_for_pending_ones() {
    let db = filled().await;
    let ui = ui_at("2026-03-11T00:00:00Z");
    let html = db
        .read(|conn| section(conn, &ui, MOBILE))
        .await
        .unwrap()
        .expect("a section")
        .into_string();
    assert!(html.contains(r#"<table id="collects">"#), "{html}");
    let pending = &html[html
        .find(r#"<tr id="collect-aaaaaaaaaaaaaaaaaaaaaaaa">"#)
        .unwrap()..];
    let pending = &pending[..pending.find("</tr>").unwrap()];
    assert!(
        pending.contains(r#"<td class="state">pending</td>"#),
        "{pending}"
    );
    assert!(pending.contains(
        r#"action="/__sandbox/ui/chillr/batches/aaaaaaaaaaaaaaaaaaaaaaaa/customers/9447741462""#
    ));
    assert!(pending.contains(r#"name="back" value="/__sandbox/ui/phone/9447741462""#));
    assert!(pending.contains(r#"value="pay""#) && pending.contains(r#"value="decline""#));
    assert!(pending.contains(KEY) && pending.contains("&lt;b&gt;Bill"));
    let paid = &html[html
        .find(r#"<tr id="collect-bbbbbbbbbbbbbbbbbbbbbbbb">"#)
        .unwrap()..];
    let paid = &paid[..paid.find("</tr>").unwrap()];
    assert!(paid.contains(r#"<td class="state">paid</td>"#) && !paid.contains("value=\"pay\""));

    // After the expiry date (India time) a pending request reads as expired, without Pay.
    let later = ui_at("2026-03-18T00:00:00Z");
    let html = db
        .read(|conn| section(conn, &later, MOBILE))
        .await
        .unwrap()
        .unwrap()
        .into_string();
    assert!(html.contains(r#"<td class="state">expired</td>"#) && !html.contains("value=\"pay\""));

    // A customer who is not a Chillr user got no request: nothing to show.
    let none = db
        .read(|conn| section(conn, &ui, "9633789451"))
        .await
        .unwrap();
    assert!(none.is_none());
}

#[tokio::test]
async fn the_counts_count_merchants_batches_customers_requests_and_users() {
    let db = filled().await;
    let counts = db.read(store::pages::counts).await.unwrap();
    assert_eq!(
        counts,
        vec![
            ("merchants", 1),
            ("batches", 2),
            ("customers", 4),
            ("collect requests", 2),
            ("users", 1)
        ]
    );
}
